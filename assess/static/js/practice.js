/* The practice round: check an answer (the server says right or not, and why), or run the
   practice task's sample tests. Nothing is saved; no clock. No inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("practice");
  if (!root) return;
  var t = document.getElementById("i18n").dataset;
  var line = window.AssessAnswers.line, post = window.AssessAnswers.post;

  function refusal(data, response) { return data && data.error ? data.error.message : String(response.status); }

  var question = document.getElementById("practice-question");
  if (question) {
    var form = question.querySelector(".answer-form"), type = question.dataset.type;
    var result = document.getElementById("check-result"), button = document.getElementById("check-answer");
    form.addEventListener("submit", function (event) { event.preventDefault(); check(); });
    window.AssessAnswers.wireOrdering(document.getElementById("ordering"), function () { result.replaceChildren(); });
    async function check() {
      button.disabled = true;
      result.replaceChildren();
      try {
        var response = await post(question.dataset.checkUrl, { response: window.AssessAnswers.response(form, type) });
        var data = await response.json();
        if (!response.ok) { result.replaceChildren(line(refusal(data, response), "bad")); return; }
        var verdict = data.correct ? t.right : data.partial ? t.partly : t.wrong;
        result.replaceChildren(line(verdict, data.correct ? "ok" : "bad"), line(data.explanation));
      } catch (e) {
        result.replaceChildren(line(t.offline, "bad"));
      } finally {
        button.disabled = false;
      }
    }
    button.addEventListener("click", check);
  }

  var task = document.getElementById("practice-task");
  if (task) {
    var textarea = document.getElementById("code"), holder = document.getElementById("editor");
    var output = document.getElementById("run-result"), run = document.getElementById("run-samples");
    var editor = null;
    if (window.AssessEditor) {
      holder.hidden = false;
      textarea.hidden = true;
      editor = window.AssessEditor.create(holder, {
        doc: textarea.value,
        label: document.getElementById("code-label").textContent,
        nonce: holder.dataset.styleNonce,
      });
    }
    run.addEventListener("click", async function () {
      run.disabled = true;
      output.replaceChildren(line(t.running));
      try {
        var response = await post(task.dataset.runUrl, { code: editor ? editor.getValue() : textarea.value });
        var data = await response.json();
        if (data.state === "done") window.AssessAnswers.showStatus(output, data, t);
        else output.replaceChildren(line(refusal(data, response), "bad"));
      } catch (e) {
        output.replaceChildren(line(t.offline, "bad"));
      } finally {
        run.disabled = false;
      }
    });
  }
})();
