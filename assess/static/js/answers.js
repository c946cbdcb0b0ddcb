/* What the assessment and the practice round share: reading a question's answer from its
   form, moving ordering items with their buttons, showing a run's or a submission's
   status, and posting JSON with the page's CSRF token. Text from the server is set with textContent only (never parsed as HTML). */
(function () {
  "use strict";

  function response(form, type) {
    if (type === "single") {
      var checked = form.querySelector("input[name=answer]:checked");
      return checked ? parseInt(checked.value, 10) : null;
    }
    if (type === "multiple") {
      return Array.prototype.map.call(form.querySelectorAll("input[name=answer]:checked"), function (i) { return parseInt(i.value, 10); });
    }
    if (type === "ordering") {
      return Array.prototype.map.call(form.querySelectorAll(".ordering-item"), function (li) { return li.dataset.value; });
    }
    var input = form.querySelector("[name=answer]");
    if (type === "bug-line") return input.value === "" ? null : parseInt(input.value, 10);
    return input.value;
  }

  /* The move buttons of an ordering list; ``onMove`` runs after each move. Focus stays on the
     button pressed, so the keyboard can keep moving the same item. */
  function wireOrdering(list, onMove) {
    if (!list) return;
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var li = button.closest("li");
      if (button.classList.contains("move-up") && li.previousElementSibling) li.parentNode.insertBefore(li, li.previousElementSibling);
      else if (button.classList.contains("move-down") && li.nextElementSibling) li.parentNode.insertBefore(li.nextElementSibling, li);
      else return;
      button.focus();
      onMove();
    });
  }

  function line(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) p.className = cls;
    return p;
  }
  function pre(text) { var el = document.createElement("pre"); el.textContent = text; return el; }

  /* Show a run's status in ``result``; true when it is final (nothing more to wait for).
     ``t`` holds the page's translated words (queued, running, graded, passed, failed). */
  function showStatus(result, status, t) {
    result.replaceChildren();
    if (status.state === "queued") {
      result.append(line(t.queued.replace("{n}", status.queue_position == null ? "?" : status.queue_position)));
      return false;
    }
    if (status.state === "running") { result.append(line(t.running)); return false; }
    if (status.message) { result.append(line(status.message, "notice")); return true; }
    if (status.kind === "final") {
      result.append(line(status.verdict === "graded" ? t.graded : status.verdict + ": " + (status.reason || ""), status.verdict === "graded" ? "ok" : "notice"));
      return true;
    }
    var summary = line((status.verdict || "") + (status.reason ? ": " + status.reason : ""), status.verdict === "passed" ? "ok" : "bad");
    result.append(summary);
    if (status.tests && status.tests.length) {
      var table = document.createElement("table"), body = document.createElement("tbody");
      status.tests.forEach(function (test) {
        var row = document.createElement("tr");
        var name = document.createElement("td"); name.textContent = test.id;
        var verdict = document.createElement("td"); verdict.textContent = test.passed ? t.passed : t.failed;
        verdict.className = test.passed ? "ok" : "bad";
        var detail = document.createElement("td");
        if (test.message && !test.passed) detail.append(pre(test.message));
        if (test.stdout) detail.append(pre(test.stdout));
        row.append(name, verdict, detail);
        body.append(row);
      });
      table.append(body);
      result.append(table);
    }
    if (status.stdout) result.append(pre(status.stdout));
    if (status.stderr) result.append(pre(status.stderr));
    return true;
  }

  /* POST JSON with the page's CSRF token (from its csrf-token meta element). */
  function post(url, body) {
    var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  }

  window.AssessAnswers = { response: response, wireOrdering: wireOrdering, showStatus: showStatus, line: line, post: post };
})();
