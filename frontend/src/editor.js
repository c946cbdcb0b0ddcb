// The candidate's code editor: CodeMirror 6 with Python highlighting and indentation.
// Built into assess/static/vendor/editor.min.js (no CDN); pages call window.AssessEditor.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

function create(parent, options) {
  const opts = options || {};
  const listeners = [];
  const changeListeners = [];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc || "",
      extensions: [
        basicSetup,
        python(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        // Tab indents; Escape then Tab moves focus on (keyboard users are never trapped).
        keymap.of([indentWithTab]),
        EditorView.cspNonce.of(opts.nonce || ""),
        EditorView.contentAttributes.of({ "aria-label": opts.label || "Code editor" }),
        EditorView.editable.of(!opts.readOnly),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          // Each change as [from, to, inserted] in positions of the text as it is when the
          // change applies, so a replay applies them one after another.
          const changes = [];
          update.changes.iterChanges((fromA, toA, fromB, toB, inserted) => {
            changes.push([fromB, fromB + (toA - fromA), inserted.toString()]);
          });
          changeListeners.forEach((fn) => fn(changes));
          listeners.forEach((fn) => fn(update.state.doc.toString()));
        }),
        EditorView.domEventHandlers({
          paste(event) {
            const text = event.clipboardData ? event.clipboardData.getData("text") : "";
            if (opts.onPaste) opts.onPaste(text.length);
            return false;
          },
        }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) =>
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    onChange: (fn) => listeners.push(fn),
    onChanges: (fn) => changeListeners.push(fn),
    focus: () => view.focus(),
  };
}

window.AssessEditor = { create };
