// Live interview pad and playback: CodeMirror 6 bound to a shared Yjs document (y-codemirror.next),
// synchronised over the app's own WebSocket with y-websocket's provider, kept in IndexedDB so
// that edits made offline (or before a reload) merge when the connection returns.
// Built into assess/static/vendor/live.min.js (no CDN).
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { IndexeddbPersistence } from "y-indexeddb";
import { yCollab } from "y-codemirror.next";
import * as decoding from "lib0/decoding";
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

const ROOM_EVENT = 100;

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text; // always text: names and output are escaped
  if (className) node.className = className;
  return node;
}

// y-codemirror.next colours other people's carets and selections with inline style
// attributes, which the page's CSP (rightly) refuses to apply. Each colour is copied from the
// refused attribute into the element's style through the CSSOM, which the CSP allows, so
// no 'unsafe-inline' is needed. Only colours are copied, and only valid ones.
const REMOTE = ".cm-ySelection, .cm-ySelectionCaret, .cm-yLineSelection";
const COLOUR = /^#[0-9a-fA-F]{3,8}$/;
function applyRemoteColours(root) {
  const found = root.matches && root.matches(REMOTE) ? [root] : [];
  if (root.querySelectorAll) found.push(...root.querySelectorAll(REMOTE));
  found.forEach((node) => {
    if (node.dataset.colours) return;
    node.dataset.colours = "1";
    (node.getAttribute("style") || "").split(";").forEach((rule) => {
      const [name, value] = rule.split(":").map((part) => (part || "").trim());
      if ((name === "background-color" || name === "border-color") && COLOUR.test(value)) {
        node.style.setProperty(name, value);
      }
    });
  });
}
function watchRemoteColours(dom) {
  new MutationObserver((changes) => {
    changes.forEach((change) => change.addedNodes.forEach((node) => {
      if (node.nodeType === 1) applyRemoteColours(node);
    }));
  }).observe(dom, { childList: true, subtree: true });
}

function makeEditor(parent, ytext, awareness, nonce, label, editable) {
  const undo = new Y.UndoManager(ytext);
  const readOnly = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        basicSetup,
        python(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        keymap.of([indentWithTab]),
        EditorView.cspNonce.of(nonce || ""),
        EditorView.contentAttributes.of({ "aria-label": label }),
        readOnly.of(EditorView.editable.of(editable)),
        yCollab(ytext, awareness, { undoManager: undo }),
      ],
    }),
  });
  watchRemoteColours(view.dom);
  return {
    view,
    freeze() {
      view.dispatch({ effects: readOnly.reconfigure(EditorView.editable.of(false)) });
    },
  };
}

function renderPeople(list, waiting, awareness, myId) {
  list.textContent = "";
  const seen = new Set();
  awareness.getStates().forEach((state, clientId) => {
    const user = state && state.user;
    if (!user || !user.name) return;
    const key = user.name + "|" + user.color;
    if (seen.has(key)) return;
    seen.add(key);
    const item = el("li", user.name, "live-person");
    const swatch = el("span", "", "live-swatch");
    swatch.setAttribute("aria-hidden", "true");
    if (/^#[0-9a-f]{6}$/i.test(user.color || "")) swatch.style.backgroundColor = user.color;
    item.prepend(swatch);
    list.appendChild(item);
  });
  waiting.hidden = seen.size > 1;
}

function renderRun(list, run) {
  let item = document.getElementById("live-run-" + run.id);
  if (!item) {
    item = el("li", undefined, "live-run");
    item.id = "live-run-" + run.id;
    list.prepend(item);
  }
  item.textContent = "";
  item.removeAttribute("aria-busy");
  item.dataset.state = run.state;
  const when = new Date(run.t);
  const head = el("p", `${when.toLocaleTimeString()} · ${run.by} · ${run.mode === "tests" ? "tests" : "run"} · ${run.state === "running" ? "running…" : run.verdict}`);
  item.appendChild(head);
  if (run.output) item.appendChild(el("pre", run.output, "code run-output"));
}

// A running run's output as it arrives: appended as text to a preview under the run, which
// the run's final event replaces with the stored output (the authority).
function renderRunOutput(event) {
  const item = document.getElementById("live-run-" + Number(event.run && event.run.id));
  if (!item || !Array.isArray(event.chunks)) return;
  if (item.dataset.state && item.dataset.state !== "running") return; // the final output is in
  let preview = item.querySelector("pre.run-preview");
  if (!preview) {
    preview = el("pre", "", "code run-preview");
    item.setAttribute("aria-busy", "true"); // read out once, when the final output arrives
    item.appendChild(preview);
  }
  event.chunks.forEach((chunk) => {
    if (!chunk || typeof chunk.text !== "string") return;
    if (chunk.stream === "stderr") preview.appendChild(el("span", chunk.text, "run-stderr"));
    else preview.appendChild(document.createTextNode(chunk.text));
  });
  if (event.truncated && !preview.dataset.truncated) {
    preview.dataset.truncated = "yes";
    preview.appendChild(el("span", "\n… output truncated", "run-truncated"));
  }
}

function startPad(root) {
  const doc = new Y.Doc();
  const room = root.dataset.socketUrl.replace(/\/socket$/, "");
  const base = room.slice(0, room.lastIndexOf("/"));
  const roomName = room.slice(room.lastIndexOf("/") + 1) + "/socket";
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const serverUrl = scheme + "//" + window.location.host + base;
  const local = new IndexeddbPersistence("assess-live-" + roomName, doc);
  const provider = new WebsocketProvider(serverUrl, roomName, doc, {
    disableBc: true,
    resyncInterval: 10000,
    maxBackoffTime: 2500,
  });
  const status = document.getElementById("live-status");
  const people = document.getElementById("live-people");
  const waiting = document.getElementById("live-waiting");
  const runs = document.getElementById("live-run-list");
  provider.awareness.setLocalStateField("user", {
    name: root.dataset.name,
    color: root.dataset.color,
    colorLight: root.dataset.color + "33",
  });
  const nonce = root.dataset.styleNonce;
  const editable = root.dataset.live === "yes";
  const editors = {
    main: makeEditor(document.getElementById("editor-main"), doc.getText("main"), provider.awareness, nonce, root.dataset.mainName, editable),
    tests: makeEditor(document.getElementById("editor-tests"), doc.getText("tests"), provider.awareness, nonce, root.dataset.testsName, editable),
  };
  window.AssessLive = { doc, provider, editors };

  const tabs = [document.getElementById("tab-main"), document.getElementById("tab-tests")];
  function select(name) {
    tabs.forEach((tab) => {
      const on = tab.id === "tab-" + name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    });
    provider.awareness.setLocalStateField("tab", name);
  }
  tabs.forEach((tab) => {
    tab.addEventListener("click", () => select(tab.id.slice(4)));
    tab.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        const next = tab.id === "tab-main" ? "tests" : "main";
        select(next);
        document.getElementById("tab-" + next).focus();
      }
    });
  });

  provider.on("status", (event) => {
    status.textContent = root.dataset["status" + event.status[0].toUpperCase() + event.status.slice(1)] || event.status;
    status.dataset.status = event.status;
  });
  provider.on("sync", (synced) => {
    root.dataset.synced = synced ? "yes" : "no";
  });
  provider.on("connection-close", (event) => {
    if (event && event.code >= 4400 && event.code < 4500) {
      status.textContent = event.reason || "closed";
      status.dataset.status = "closed";
      editors.main.freeze();
      editors.tests.freeze();
      if (event.code === 4410) local.clearData();
    }
  });
  provider.awareness.on("change", () => renderPeople(people, waiting, provider.awareness, doc.clientID));
  renderPeople(people, waiting, provider.awareness, doc.clientID);

  provider.messageHandlers[ROOM_EVENT] = (encoder, decoder) => {
    const event = JSON.parse(decoding.readVarString(decoder));
    if (event.type === "run") renderRun(runs, event.run);
    else if (event.type === "run-output") renderRunOutput(event);
  };

  root.querySelectorAll("button[data-mode]").forEach((button) => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const response = await fetch(root.dataset.runUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ mode: button.dataset.mode }),
          credentials: "same-origin",
        });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          const item = el("li", body.error || `run refused (${response.status})`, "live-run live-run-refused");
          runs.prepend(item);
        }
      } finally {
        button.disabled = false;
      }
    });
  });

  const noteForm = document.getElementById("note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(noteForm);
      const response = await fetch(noteForm.action, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        const item = el("li", " " + body.note.text);
        const time = el("time", new Date(body.note.t).toLocaleTimeString());
        time.setAttribute("datetime", body.note.t);
        item.prepend(time);
        document.getElementById("note-list").appendChild(item);
        noteForm.reset();
      } else {
        window.alert(body.error || "The note was not saved.");
      }
    });
  }
}

function base64ToBytes(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function startPlayback(root) {
  const response = await fetch(root.dataset.historyUrl, { credentials: "same-origin" });
  const history = await response.json();
  const updates = history.updates;
  const slider = document.getElementById("playback-slider");
  const at = document.getElementById("playback-at");
  const step = document.getElementById("playback-step");
  const main = document.getElementById("playback-main");
  const tests = document.getElementById("playback-tests");
  const play = document.getElementById("playback-play");
  const speed = document.getElementById("playback-speed");
  const events = document.getElementById("playback-events");
  const signals = document.getElementById("playback-signals");
  signals.textContent = root.dataset.signalsLabel
    .replace("{pastes}", history.signals.pastes)
    .replace("{largest}", history.signals.largest_insert)
    .replace("{pauses}", history.signals.idle_gaps);
  slider.max = String(updates.length);
  // Documents at each step are rebuilt from the log; a cache of every 50th keeps seeking quick.
  const cache = new Map();
  function docAt(index) {
    let start = 0;
    for (let k = index - (index % 50); k > 0; k -= 50) {
      if (cache.has(k)) { start = k; break; }
    }
    const doc = new Y.Doc();
    if (start > 0) Y.applyUpdate(doc, cache.get(start));
    for (let i = start; i < index; i += 1) {
      Y.applyUpdate(doc, base64ToBytes(updates[i].data));
      if ((i + 1) % 50 === 0 && !cache.has(i + 1)) cache.set(i + 1, Y.encodeStateAsUpdate(doc));
    }
    return doc;
  }
  const timeline = [];
  updates.forEach((u, i) => timeline.push({ t: u.t, kind: "edit", index: i + 1, u }));
  history.runs.forEach((r) => timeline.push({ t: r.t, kind: "run", r }));
  history.notes.forEach((n) => timeline.push({ t: n.t, kind: "note", n }));
  timeline.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  timeline.forEach((entry) => {
    const when = new Date(entry.t).toLocaleTimeString();
    let text;
    if (entry.kind === "edit") {
      const u = entry.u;
      text = `${when} · ${u.author || "start"} · +${u.inserted}${u.paste ? " · paste" : ""}${u.idle_before ? " · after a long pause" : ""}`;
    } else if (entry.kind === "run") {
      text = `${when} · ${entry.r.by} ran ${entry.r.mode}: ${entry.r.verdict || entry.r.state}`;
    } else {
      text = `${when} · note: ${entry.n.text}`;
    }
    const item = el("li", text, "playback-" + entry.kind + (entry.u && entry.u.paste ? " playback-paste" : ""));
    if (entry.kind === "edit") {
      item.dataset.index = String(entry.index);
      item.tabIndex = 0;
      item.addEventListener("click", () => show(entry.index));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter") show(entry.index); });
    }
    if (entry.kind === "run" && entry.r.output) item.appendChild(el("pre", entry.r.output, "code run-output"));
    events.appendChild(item);
  });
  function show(index) {
    const doc = docAt(index);
    main.textContent = doc.getText("main").toString();
    tests.textContent = doc.getText("tests").toString();
    slider.value = String(index);
    const u = index > 0 ? updates[index - 1] : null;
    at.textContent = `${index} / ${updates.length}`;
    step.textContent = u ? `${new Date(u.t).toLocaleTimeString()} · ${u.author || "start"}${u.paste ? " · paste" : ""}` : "";
    root.dataset.index = String(index);
    events.querySelectorAll("li[data-index]").forEach((li) => li.classList.toggle("playback-current", li.dataset.index === String(index)));
  }
  slider.addEventListener("input", () => show(Number(slider.value)));
  let timer = null;
  function stop() {
    if (timer) clearTimeout(timer);
    timer = null;
    play.textContent = root.dataset.playLabel;
    play.setAttribute("aria-pressed", "false");
  }
  function tick() {
    const index = Number(slider.value);
    if (index >= updates.length) { stop(); return; }
    show(index + 1);
    const now = Date.parse(updates[index].t);
    const next = index + 1 < updates.length ? Date.parse(updates[index + 1].t) : now;
    const wait = Math.min(2000, Math.max(0, next - now)) / Number(speed.value);
    timer = setTimeout(tick, wait);
  }
  play.addEventListener("click", () => {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= updates.length) show(0);
    play.textContent = root.dataset.pauseLabel;
    play.setAttribute("aria-pressed", "true");
    tick();
  });
  show(updates.length);
  window.AssessPlayback = { show, length: updates.length };
}

document.addEventListener("DOMContentLoaded", () => {
  const pad = document.getElementById("live-pad");
  if (pad) startPad(pad);
  const playback = document.getElementById("live-playback");
  if (playback) startPlayback(playback);
});
