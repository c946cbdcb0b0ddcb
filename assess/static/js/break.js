/* The break between sections: how long it may still last (by the server's clock), and the
   attempt's pages again once it is over (the server ends it by itself). No inline script. */
(function () {
  "use strict";
  var root = document.getElementById("break");
  if (!root) return;
  var ends = Date.parse(root.dataset.ends), offset = Date.parse(root.dataset.now) - Date.now();
  var shown = document.getElementById("break-left");
  function tick() {
    var left = Math.max(0, ends - (Date.now() + offset)), s = Math.floor(left / 1000);
    shown.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    if (left <= 0) location.assign(root.dataset.resumeUrl);
    else setTimeout(tick, 1000);
  }
  tick();
})();
