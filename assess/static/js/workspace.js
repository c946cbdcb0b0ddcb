/* A project task's workspace on the candidate's page: the project's files in a list, one
   editor per file (read-only where the task says so), new and deleted files. The whole tree
   is one JSON document ({"files": {path: text}}), saved and submitted the way a single
   file's code is; the server checks every path again and says what it refuses. */
(function () {
  "use strict";

  // A task's editable patterns are shell patterns on the whole path; "*" also crosses "/".
  function patternToRegExp(pattern) {
    var out = "";
    for (var i = 0; i < pattern.length; i++) {
      var c = pattern[i];
      if (c === "*") out += ".*";
      else if (c === "?") out += ".";
      else out += c.replace(/[.+^${}()|[\]\\\/]/g, "\\$&");
    }
    return new RegExp("^" + out + "$");
  }

  var SEGMENT = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}|\.gitignore|\.dockerignore|\.env\.example)$/;
  function pathProblem(path, files) {
    if (!path) return "empty";
    if (path.length > 160 || path.charAt(0) === "/" || path.indexOf("\\") >= 0) return "invalid";
    var parts = path.split("/");
    if (parts.length > 6) return "invalid";
    for (var i = 0; i < parts.length; i++) {
      if (!SEGMENT.test(parts[i])) return "invalid";
    }
    if (Object.prototype.hasOwnProperty.call(files, path)) return "exists";
    return null;
  }

  function create(root, documentText, options) {
    var words = root.dataset;
    var patterns = JSON.parse(root.dataset.editable || "[]").map(patternToRegExp);
    function editable(path) { return patterns.some(function (re) { return re.test(path); }); }
    var files = {};
    try { files = (JSON.parse(documentText) || {}).files || {}; } catch (e) { files = {}; }
    var list = root.querySelector(".workspace-list");
    var editors = root.querySelector(".workspace-editors");
    var current = root.querySelector(".workspace-current");
    var removeButton = root.querySelector(".workspace-delete");
    var message = root.querySelector(".workspace-message");
    var form = root.querySelector(".workspace-new");
    var input = form.querySelector("input");
    var open = {}, selected = null, listeners = [], changeListeners = [];
    var lastText = null;

    function value() {
      var out = {};
      Object.keys(files).sort().forEach(function (path) {
        out[path] = open[path] ? open[path].getValue() : files[path];
      });
      return JSON.stringify({ files: out });
    }
    /* The recording for the review desk's replay sees the project as its one document: each
       change becomes [from, to, inserted] on the document's text (the part between the
       common start and end of the text before and after), in UTF-16 positions as the
       server expects. */
    function diff(before, after) {
      var start = 0, max = Math.min(before.length, after.length);
      while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
      var endBefore = before.length, endAfter = after.length;
      while (endBefore > start && endAfter > start &&
             before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) { endBefore--; endAfter--; }
      return [start, endBefore, after.slice(start, endAfter)];
    }
    function changed() {
      var text = value();
      if (lastText !== null && text !== lastText && changeListeners.length) {
        var change = diff(lastText, text);
        changeListeners.forEach(function (fn) { fn([change]); });
      }
      lastText = text;
      listeners.forEach(function (fn) { fn(text); });
    }
    function say(text) { message.textContent = text || ""; }

    function renderList() {
      list.replaceChildren();
      Object.keys(files).sort().forEach(function (path) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "workspace-file";
        button.dataset.path = path;
        button.textContent = path;
        if (!editable(path)) {
          var note = document.createElement("span");
          note.className = "workspace-readonly";
          note.textContent = " (" + words.readOnly + ")";
          button.append(note);
        }
        if (path === selected) button.setAttribute("aria-current", "true");
        button.addEventListener("click", function () { select(path, true); });
        item.append(button);
        list.append(item);
      });
    }

    function select(path, focus) {
      selected = path;
      Object.keys(open).forEach(function (name) { open[name].holder.hidden = name !== path; });
      if (path && !open[path]) {
        var holder = document.createElement("div");
        holder.className = "editor";
        editors.append(holder);
        var readOnly = !editable(path);
        var editor = window.AssessEditor.create(holder, {
          doc: files[path],
          label: path + (readOnly ? " (" + words.readOnly + ")" : ""),
          nonce: options.nonce,
          readOnly: readOnly,
          onPaste: options.onPaste,
        });
        editor.holder = holder;
        editor.onChange(function (text) { files[path] = text; changed(); });
        open[path] = editor;
      }
      current.textContent = path || words.noFile;
      removeButton.hidden = !path || !editable(path);
      renderList();
      if (focus && path) open[path].focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var path = input.value.trim();
      var problem = pathProblem(path, files);
      if (!problem && !editable(path)) problem = "readOnly";
      if (problem) { say(words["problem" + problem.charAt(0).toUpperCase() + problem.slice(1)]); input.focus(); return; }
      files[path] = "";
      input.value = "";
      say(words.added.replace("{path}", path));
      select(path, true);
      changed();
    });
    removeButton.addEventListener("click", function () {
      var path = selected;
      if (!path || !editable(path) || !window.confirm(words.confirmDelete.replace("{path}", path))) return;
      delete files[path];
      if (open[path]) { open[path].holder.remove(); delete open[path]; }
      say(words.deleted.replace("{path}", path));
      var rest = Object.keys(files).sort();
      select(rest.length ? rest[0] : null, false);
      list.querySelector("button") && list.querySelector("button").focus();
      changed();
    });

    root.hidden = false;
    var first = Object.keys(files).sort().filter(editable)[0] || Object.keys(files).sort()[0] || null;
    select(first, false);
    lastText = value();
    return {
      getValue: value,
      onChange: function (fn) { listeners.push(fn); },
      onChanges: function (fn) { changeListeners.push(fn); },
      focus: function () { if (selected && open[selected]) open[selected].focus(); },
    };
  }

  window.AssessWorkspace = { create: create };
})();
