/* The start page's funnel charts: each open position's row of the funnel table gets a small
   bar chart drawn from the row's own cells with the vendored Chart.js. The table is the
   record (readers without scripts or with a screen reader lose nothing); the charts are
   hidden from assistive technology and their column shows only once they are drawn.
   No inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  if (!window.Chart) return;
  var COLOUR = "#1f4e79";

  function numbers(cells) {
    return Array.prototype.map.call(cells, function (cell) {
      var value = parseInt(cell.textContent, 10);
      return isNaN(value) ? 0 : value;
    });
  }

  function drawTable(table) {
    var labels = Array.prototype.map.call(
      table.querySelectorAll("thead th[data-stage]"),
      function (th) { return th.textContent.trim(); }
    );
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var canvas = row.querySelector("canvas.funnel-chart");
      if (!canvas) return;
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: labels,
          datasets: [{ data: numbers(row.querySelectorAll("td[data-stage]")), backgroundColor: COLOUR }]
        },
        options: {
          animation: false,
          responsive: false,
          events: [],
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { display: false, beginAtZero: true } }
        }
      });
      canvas.dataset.chartReady = "true";
    });
    table.classList.add("charts-on");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.start-funnel"), drawTable);
})();
