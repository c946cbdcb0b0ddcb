/* The candidate's attempt: countdown, autosave that survives reloads and lost connections,
   integrity signals, and the coding task's editor, sample runs and submissions.
   No inline script anywhere (CSP): everything is wired from data attributes. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) return;
  var t = document.getElementById("i18n").dataset;
  var statusEl = document.getElementById("save-status");
  var position = root.dataset.position ? parseInt(root.dataset.position, 10) : null;
  // Unsaved work is kept per attempt (its start), not per deadline: extra time moves the
  // deadline, and work kept under the old key must still be sent.
  var storeKey = "assess-pending:" + root.dataset.stateUrl + ":" + root.dataset.started;
  var legacyKey = "assess-pending:" + root.dataset.stateUrl + ":" + root.dataset.deadline;
  var closed = false;

  function revisionNow() { return Math.floor(Date.now() / 1000); }

  /* ---------- countdown (server clock) ---------- */
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.now) - Date.now();
  var countdown = document.getElementById("countdown");
  function tick() {
    var left = Math.max(0, deadline - (Date.now() + offset));
    var s = Math.floor(left / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    var text = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" +
      String(s % 60).padStart(2, "0");
    countdown.textContent = left > 0 ? text : t.timeUp;
    if (left < 5 * 60 * 1000) countdown.classList.add("urgent");
    if (left <= 0 && !closed) {
      closed = true;
      flush().finally(function () { setTimeout(function () { location.assign(root.dataset.doneUrl); }, 1500); });
    }
  }
  tick();
  setInterval(tick, 1000);

  /* Extra time granted while the attempt runs moves the server's deadline: ask for it every
     ten seconds and when the page is shown again, and follow it. */
  function follow() {
    if (closed) return;
    fetch(root.dataset.clockUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.deadline) return;
        if (body.section === "break") { flush().finally(function () { location.assign(root.dataset.breakUrl); }); return; }
        var next = Date.parse(body.deadline);
        if (body.now) offset = Date.parse(body.now) - Date.now();
        if (next && next !== deadline) {
          deadline = next;
          if (deadline - (Date.now() + offset) >= 5 * 60 * 1000) countdown.classList.remove("urgent");
          tick();
        }
      })
      .catch(function () { /* offline: the next poll tries again */ });
  }
  setInterval(follow, 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) follow(); });

  /* ---------- autosave queue, kept in localStorage until the server confirms ---------- */
  var pending = {};
  try { pending = JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { pending = {}; }
  try {
    var legacy = JSON.parse(localStorage.getItem(legacyKey) || "null");
    if (legacy) {
      Object.keys(legacy).forEach(function (key) { if (!pending[key]) pending[key] = legacy[key]; });
      localStorage.removeItem(legacyKey);
    }
  } catch (e) { /* private mode */ }
  var flushing = null, retryDelay = 1000, retryTimer = null;
  var confirmed = {};  // key -> function(body) called once the server has stored that body

  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.kind = kind;
  }
  var post = window.AssessAnswers.post;
  function queueSave(key, url, body) {
    pending[key] = { url: url, body: body };
    persist();
    setStatus(t.saving, "saving");
    scheduleFlush(400);
  }
  function scheduleFlush(delay) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, delay);
  }
  function flush() {
    if (flushing) return flushing;
    clearTimeout(retryTimer);
    retryTimer = null;
    flushing = (async function () {
      var keys = Object.keys(pending);
      for (var i = 0; i < keys.length; i++) {
        var key = keys[i], job = pending[key];
        if (!job) continue;
        var response;
        try {
          response = await post(job.url, job.body);
        } catch (e) {
          setStatus(t.offline, "offline");
          retryDelay = Math.min(retryDelay * 2, 15000);
          scheduleFlush(retryDelay);
          return false;
        }
        if (response.ok) {
          if (pending[key] === job) delete pending[key];
          if (confirmed[key]) confirmed[key](job.body);
        } else if (response.status >= 500 || response.status === 429) {
          setStatus(t.offline, "offline");
          retryDelay = Math.min(retryDelay * 2, 15000);
          scheduleFlush(retryDelay);
          return false;
        } else {
          var message = "", code = "";
          try { var error = (await response.json()).error; message = error.message; code = error.code; } catch (e) { message = String(response.status); }
          if (pending[key] === job) delete pending[key];
          persist();
          setStatus(t.refused + " " + message, "refused");
          if (response.status === 409 && code !== "answer_final") { closed = true; setTimeout(function () { location.assign(root.dataset.doneUrl); }, 2500); }
          return false;
        }
        persist();
      }
      retryDelay = 1000;
      if (!Object.keys(pending).length) setStatus(t.saved, "saved");
      return true;
    })().finally(function () { flushing = null; if (Object.keys(pending).length && !retryTimer) scheduleFlush(retryDelay); });
    return flushing;
  }
  window.addEventListener("online", function () { scheduleFlush(0); });
  if (Object.keys(pending).length) { setStatus(t.saving, "saving"); scheduleFlush(0); }

  /* Leave an item only after its work is saved (or a few seconds have passed). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || !root.contains(link) || !Object.keys(pending).length) return;
    event.preventDefault();
    Promise.race([flush(), new Promise(function (r) { setTimeout(r, 3000); })]).then(function () {
      location.assign(link.href);
    });
  });
  /* Ending the attempt or its quiz section: confirm, then send what is pending first. */
  Array.prototype.forEach.call(document.querySelectorAll(".finish-form, .section-form, .next-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      /* Going on makes the answer final: only once the server has it (no time-out; a
         failed save stays on the page with its status shown, and is retried). */
      if (form.classList.contains("next-form")) {
        flush().then(function (sent) { if (sent && !Object.keys(pending).length) HTMLFormElement.prototype.submit.call(form); });
        return;
      }
      Promise.race([flush(), new Promise(function (r) { setTimeout(r, 3000); })]).then(function () {
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  });

  /* ---------- integrity signals and time per item, sent in batches ---------- */
  var events = [], seconds = 0;
  function signal(kind, size) { events.push({ kind: kind, position: position, size: size }); }
  window.addEventListener("blur", function () { signal("blur", null); });
  window.addEventListener("focus", function () { signal("focus", null); });
  document.addEventListener("paste", function (event) {
    var text = event.clipboardData ? event.clipboardData.getData("text") : "";
    signal("paste", text.length);
  });
  setInterval(function () { if (document.visibilityState === "visible" && document.hasFocus()) seconds += 1; }, 1000);
  function sendSignals() {
    var batch = events.splice(0, 100);
    if (position && seconds > 0) { batch.push({ kind: "time", position: position, seconds: Math.min(seconds, 120) }); seconds = 0; }
    if (!batch.length || closed) return;
    post(root.dataset.eventsUrl, { events: batch }).catch(function () { events = batch.filter(function (e) { return e.kind !== "time"; }).concat(events); });
  }
  setInterval(sendSignals, 15000);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") sendSignals(); });

  /* ---------- quiz answers ---------- */
  var question = document.getElementById("question");
  if (question) {
    var type = question.dataset.type, form = question.querySelector(".answer-form");
    var url = question.dataset.saveUrl, textTimer = null;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    function currentResponse() { return window.AssessAnswers.response(form, type); }
    function save() { queueSave("q" + position, url, { response: currentResponse(), revision: revisionNow() }); }
    form.addEventListener("change", save);
    form.addEventListener("input", function () { clearTimeout(textTimer); textTimer = setTimeout(save, 600); });
    window.AssessAnswers.wireOrdering(document.getElementById("ordering"), save);
    /* Adaptive: going on makes this answer final, so the answer as it stands now is queued
       first (capture phase: before the handler above sends what is pending). */
    var nextForm = document.querySelector(".next-form");
    if (nextForm) nextForm.addEventListener("submit", function () { clearTimeout(textTimer); save(); }, true);
  }

  /* ---------- coding task ---------- */
  var task = document.getElementById("task");
  if (task) {
    var textarea = document.getElementById("code"), holder = document.getElementById("editor");
    var editor = null, draftTimer = null, result = document.getElementById("run-result");
    // Work saved here but not yet on the server (offline, then a reload) is newer than the
    // page's draft: start from it, so the next save cannot overwrite it with older code.
    var waiting = pending["t" + position];
    if (waiting && waiting.body && typeof waiting.body.code === "string" &&
        waiting.body.revision >= parseInt(task.dataset.revision || "0", 10)) {
      textarea.value = waiting.body.code;
    }
    if (task.dataset.workspace && window.AssessWorkspace && window.AssessEditor) {
      textarea.hidden = true;
      editor = window.AssessWorkspace.create(document.getElementById("workspace"), textarea.value, {
        nonce: holder.dataset.styleNonce,
        onPaste: function (size) { signal("paste", size); },
      });
    } else if (window.AssessEditor) {
      holder.hidden = false;
      textarea.hidden = true;
      editor = window.AssessEditor.create(holder, {
        doc: textarea.value,
        label: document.getElementById("code-label").textContent,
        nonce: holder.dataset.styleNonce,
        onPaste: function (size) { signal("paste", size); },
      });
    }
    function code() { return editor ? editor.getValue() : textarea.value; }

    /* The editor's changes, sent with each draft for the review desk's replay. One page load
       is one stream numbered from 0; everything not yet confirmed is sent again with the next
       save (the server keeps each change once). Recording stops rather than ever making a
       save too large to be accepted. */
    var journal = null;
    var RECORD_LIMIT = 250000;  // the server's limit on a recorded text (a project's document is longer than its files)
    if (editor && editor.onChanges && window.crypto && window.crypto.getRandomValues &&
        editor.getValue().length <= RECORD_LIMIT) {
      var bytes = new Uint8Array(8);
      window.crypto.getRandomValues(bytes);
      journal = {
        stream: Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join(""),
        base: editor.getValue(), start: 0, ops: [], size: 0, last: Date.now(),
      };
      editor.onChanges(function (changes) {
        if (!journal) return;
        var now = Date.now(), gap = Math.min(Math.max(0, now - journal.last), 86400000);
        journal.last = now;
        changes.forEach(function (c, i) {
          journal.ops.push([i ? 0 : gap, c[0], c[1], c[2]]);
          journal.size += 24 + c[2].length;
        });
        if (journal.ops.length > 4000 || journal.size > 1500000) journal = null;
        else if (changes.some(function (c) { return c[1] > RECORD_LIMIT || c[0] + c[2].length > RECORD_LIMIT; })) journal = null;
      });
      confirmed["t" + position] = function (body) {
        var sent = body.changes;
        if (!journal || !sent || sent.stream !== journal.stream) return;
        var end = sent.seq + sent.ops.length;
        if (end <= journal.start) return;
        var dropped = journal.ops.splice(0, end - journal.start);
        dropped.forEach(function (op) { journal.size -= 24 + op[3].length; });
        journal.start = end;
      };
    }
    function changes() {
      if (!journal) return undefined;
      var batch = { stream: journal.stream, seq: journal.start, ops: journal.ops.slice() };
      if (journal.start === 0) batch.base = journal.base;
      return batch;
    }
    function saveDraft() { queueSave("t" + position, task.dataset.draftUrl, { code: code(), revision: revisionNow(), changes: changes() }); }
    function onEdit() { clearTimeout(draftTimer); draftTimer = setTimeout(saveDraft, 800); }
    if (editor) editor.onChange(onEdit); else textarea.addEventListener("input", onEdit);

    var line = window.AssessAnswers.line;
    function show(status) { return window.AssessAnswers.showStatus(result, status, t); }
    async function poll(id) {
      var url = task.dataset.statusUrl.replace(/0$/, String(id)), delay = 600;
      for (var i = 0; i < 400; i++) {
        await new Promise(function (r) { setTimeout(r, delay); });
        var response;
        try { response = await fetch(url, { credentials: "same-origin" }); } catch (e) { delay = Math.min(delay * 2, 5000); continue; }
        if (!response.ok) { result.replaceChildren(line(String(response.status), "bad")); return; }
        if (show(await response.json())) return;
        delay = Math.min(delay + 200, 2000);
      }
    }
    async function send(url, button) {
      button.disabled = true;
      try {
        await flush();
        var response = await post(url, { code: code() });
        var data = await response.json();
        if (!response.ok) { result.replaceChildren(line(data.error ? data.error.message : String(response.status), "bad")); return; }
        if (!show(data)) await poll(data.id);
      } catch (e) {
        result.replaceChildren(line(t.offline, "bad"));
      } finally {
        button.disabled = false;
      }
    }
    // After a reload the result of the latest run or submission is shown again.
    async function showLast(id) {
      try {
        var response = await fetch(task.dataset.statusUrl.replace(/0$/, String(id)), { credentials: "same-origin" });
        if (response.ok && !show(await response.json())) await poll(id);
      } catch (e) { /* offline: the next run shows its own result */ }
    }
    if (task.dataset.lastSubmission) showLast(task.dataset.lastSubmission);
    var runButton = document.getElementById("run-samples"), submitButton = document.getElementById("submit-code");
    runButton.addEventListener("click", function () { send(task.dataset.runUrl, runButton); });
    submitButton.addEventListener("click", function () { send(task.dataset.submitUrl, submitButton); });
  }
})();
