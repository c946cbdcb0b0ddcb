/* Item information curve: the <canvas class="information-chart" data-chart-url="..."> of a
   question's page fetches its data (same origin, JSON) and draws it as a line with the
   vendored Chart.js. No inline script (CSP script-src 'self'); the table under the chart
   holds the same figures, so a reader without scripts or a screen reader loses nothing. */
(function () {
  "use strict";
  var COLOUR = "#1f4e79";

  function draw(canvas, data) {
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    function ready() { canvas.dataset.chartReady = "true"; }
    var chart = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          return {
            label: set.label,
            data: set.data,
            borderColor: COLOUR,
            backgroundColor: "rgba(31,78,121,0.12)",
            pointBackgroundColor: COLOUR,
            borderWidth: 2,
            fill: true,
            tension: 0.3
          };
        })
      },
      options: {
        animation: reduced ? false : { onComplete: ready },
        responsive: true,
        maintainAspectRatio: true,
        scales: {
          x: { title: { display: true, text: "θ" } },
          y: { min: 0, beginAtZero: true }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
    if (reduced) ready();
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function load(canvas) {
    fetch(canvas.dataset.chartUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) throw new Error("information data: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { draw(canvas, data); })
      .catch(function () { canvas.dataset.chartReady = "failed"; canvas.hidden = true; });
  }

  if (!window.Chart) return;
  Array.prototype.forEach.call(
    document.querySelectorAll("canvas.information-chart[data-chart-url]"), load
  );
})();
