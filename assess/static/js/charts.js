/* Charts: every <canvas data-chart-url="..."> (scorecards, compare, an item's information
   curve) fetches its data from the server (same origin, JSON: type, labels, datasets, and
   optionally scales, fill and tension) and draws it with the vendored Chart.js. No inline script
   (CSP script-src 'self'). The table beside each chart holds the same figures, so a reader
   without scripts or a screen reader loses nothing. */
(function () {
  "use strict";
  var PALETTE = ["#1f4e79", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#0a7ea4"];

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function draw(canvas, data) {
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var animate = canvas.dataset.chartAnimate !== "false" && !reduced;
    function ready() { canvas.dataset.chartReady = "true"; }
    var datasets = data.datasets.map(function (set, index) {
      var colour = PALETTE[index % PALETTE.length];
      var shown = {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: rgba(colour, 0.12),
        pointBackgroundColor: colour,
        borderWidth: 2,
        spanGaps: true
      };
      if (set.fill !== undefined) shown.fill = set.fill;
      if (set.tension !== undefined) shown.tension = set.tension;
      return shown;
    });
    var chart = new window.Chart(canvas, {
      type: data.type || "radar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: animate ? { onComplete: ready } : false,
        responsive: true,
        maintainAspectRatio: true,
        scales: data.scales || {
          r: { min: 0, max: data.max || 100, ticks: { stepSize: 25, backdropColor: "transparent" } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
    if (!animate) ready();
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function load(canvas) {
    fetch(canvas.dataset.chartUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) throw new Error("chart data: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { draw(canvas, data); })
      .catch(function () { canvas.dataset.chartReady = "failed"; canvas.hidden = true; });
  }

  if (!window.Chart) return;
  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart-url]"), load);
})();
