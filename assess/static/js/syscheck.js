/* The landing page's system check: before the clock starts, say plainly whether this browser
   can take the assessment (features the pages use), whether the server answers, and whether
   work can be kept offline (local storage). Each line says what to fix. No inline script. */
(function () {
  "use strict";
  var root = document.getElementById("system-check");
  if (!root) return;
  var t = root.dataset;

  function show(name, ok, text) {
    var item = root.querySelector('[data-check="' + name + '"]');
    if (!item) return;
    item.dataset.state = ok ? "ok" : "problem";
    item.querySelector(".check-result").textContent = text;
  }

  var features = typeof window.fetch === "function" && typeof window.Promise === "function" &&
    !!(window.crypto && window.crypto.getRandomValues) && typeof Array.prototype.includes === "function" &&
    typeof window.TextEncoder === "function";
  show("browser", features, features ? t.browserOk : t.browserOld);

  var stored = false;
  try {
    var key = "assess-check:" + Math.random();
    window.localStorage.setItem(key, "1");
    stored = window.localStorage.getItem(key) === "1";
    window.localStorage.removeItem(key);
  } catch (e) { stored = false; }
  show("storage", stored, stored ? t.storageOk : t.storageOff);

  if (!features) { show("connection", false, t.connectionUnknown); return; }
  var started = Date.now();
  fetch(t.pingUrl, { cache: "no-store", credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      var ms = Date.now() - started;
      show("connection", true, (ms > 1500 ? t.connectionSlow : t.connectionOk).replace("{ms}", String(ms)));
    })
    .catch(function () { show("connection", false, t.connectionDown); });
})();
