/* Replay of how a candidate wrote a coding task: the editor's recorded changes applied in
   order, session by session, with sample runs and the submission on the same timeline.
   Everything shown is set as text (never as HTML): candidate code stays inert. */
(function () {
  "use strict";
  var root = document.getElementById("replay");
  if (!root) return;
  var d = root.dataset;
  var CHECKPOINT = 100, PASTE = 200, IDLE = 120000;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  fetch(d.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(start);

  function start(data) {
    var s = data.signals;
    document.getElementById("replay-signals").textContent = fill(d.signalsLabel, {
      changes: s.changes, pastes: s.pastes, largest: s.largest_insert, pauses: s.idle_gaps, sessions: s.sessions,
    });
    var notices = [];
    if (!data.streams.length) notices.push(d.emptyLabel);
    if (!s.complete) notices.push(d.incompleteLabel);
    if (s.capped) notices.push(d.cappedLabel);
    if (s.matches_submission === true) notices.push(d.matchesLabel);
    if (s.matches_submission === false) notices.push(d.differsLabel);
    document.getElementById("replay-notices").textContent = notices.join(" ");

    // Steps: each session's start (its base text), then each of its changes.
    var steps = [];
    data.streams.forEach(function (stream, si) {
      var first = stream.ops.length ? stream.ops[0][0] : 0;
      var t = Date.parse(stream.started_at) - first;
      steps.push({ kind: "session", stream: si, t: t });
      stream.ops.forEach(function (op, oi) {
        t += op[0];
        steps.push({ kind: "op", stream: si, op: op, index: oi, t: t });
      });
    });
    var cache = {};
    function textAt(i) {
      if (i < 0 || !steps.length) return "";
      var k = i - (i % CHECKPOINT), text = null, from = 0;
      for (; k >= 0; k -= CHECKPOINT) { if (k in cache) { text = cache[k]; from = k + 1; break; } }
      for (var j = from; j <= i; j += 1) {
        var step = steps[j];
        if (step.kind === "session") text = data.streams[step.stream].base;
        else text = text.slice(0, step.op[1]) + step.op[3] + text.slice(step.op[2]);
        if (j % CHECKPOINT === 0) cache[j] = text;
      }
      return text;
    }

    var slider = document.getElementById("replay-slider"), at = document.getElementById("replay-at");
    var stepNote = document.getElementById("replay-step"), code = document.getElementById("replay-code");
    var play = document.getElementById("replay-play"), speed = document.getElementById("replay-speed");
    var events = document.getElementById("replay-events");
    slider.max = String(Math.max(0, steps.length - 1));

    // The timeline lists what a reviewer looks for, not every keystroke.
    var marks = [];
    steps.forEach(function (step, i) {
      if (step.kind === "session") marks.push({ t: step.t, step: i, text: fill(d.sessionLabel, { n: step.stream + 1 }), cls: "playback-edit" });
      else if (step.op[3].length >= PASTE) marks.push({ t: step.t, step: i, text: fill(d.pasteLabel, { n: step.op[3].length }), cls: "playback-edit playback-paste" });
      else if (step.op[0] >= IDLE) marks.push({ t: step.t, step: i, text: fill(d.idleLabel, { n: Math.round(step.op[0] / 60000) }), cls: "playback-edit" });
    });
    data.runs.forEach(function (run) {
      var t = Date.parse(run.t), i = 0;
      while (i + 1 < steps.length && steps[i + 1].t <= t) i += 1;
      var label = run.kind === "final" ? d.finalLabel : d.runLabel;
      marks.push({ t: t, step: steps.length ? i : null, text: fill(label, { verdict: run.verdict || "…" }), cls: "playback-run" });
    });
    marks.sort(function (a, b) { return a.t - b.t; });
    marks.forEach(function (mark) {
      var item = el("li", new Date(mark.t).toLocaleTimeString() + " · " + mark.text, mark.cls);
      if (mark.step != null) {
        item.dataset.index = String(mark.step);
        item.tabIndex = 0;
        item.addEventListener("click", function () { show(mark.step); });
        item.addEventListener("keydown", function (e) { if (e.key === "Enter") show(mark.step); });
      }
      events.appendChild(item);
    });

    /* A project's recording is of its workspace document ({"files": {path: text}}): shown
       as its files one after another under their paths. */
    function readable(text) {
      if (text.charAt(0) !== "{") return text;
      try {
        var files = JSON.parse(text).files;
        if (!files || typeof files !== "object") return text;
        return Object.keys(files).sort().map(function (path) {
          return "# ── " + path + " ──\n" + files[path];
        }).join("\n");
      } catch (e) { return text; }
    }
    function show(i) {
      i = Math.max(0, Math.min(i, steps.length - 1));
      code.textContent = readable(textAt(i));
      slider.value = String(i);
      at.textContent = steps.length ? (i + 1) + " / " + steps.length : "0 / 0";
      var step = steps[i];
      stepNote.textContent = step ? new Date(step.t).toLocaleTimeString() + " · " + fill(d.changeLabel, { i: i + 1, n: steps.length }) : "";
      root.dataset.index = String(i);
    }
    slider.addEventListener("input", function () { show(Number(slider.value)); });
    var timer = null;
    function stop() {
      clearTimeout(timer);
      timer = null;
      play.textContent = d.playLabel;
      play.setAttribute("aria-pressed", "false");
    }
    function tick() {
      var i = Number(slider.value);
      if (i >= steps.length - 1) { stop(); return; }
      show(i + 1);
      var wait = steps[i + 2] ? Math.min(2000, Math.max(0, steps[i + 2].t - steps[i + 1].t)) : 0;
      timer = setTimeout(tick, wait / Number(speed.value));
    }
    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (Number(slider.value) >= steps.length - 1) show(0);
      play.textContent = d.pauseLabel;
      play.setAttribute("aria-pressed", "true");
      tick();
    });
    show(steps.length - 1);
    window.AssessReplay = { show: show, textAt: textAt, length: steps.length };
  }
})();
