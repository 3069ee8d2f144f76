/* Draws the flows dashboard's charts from the JSON the page carries (#flow-chart-data).
   Every chart has its numbers in a table beside it, so the page reads without script. */
(function () {
  "use strict";

  var source = document.getElementById("flow-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;
  var accent = "#0b5cad";
  var warm = "#d97706";
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#1c2430";
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  }

  var formatTicks = {
    callback: function (value) {
      return numberFormat.format(value);
    }
  };

  draw("trend-chart", {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [{
        label: data.trend.label,
        data: data.trend.values,
        borderColor: accent,
        backgroundColor: "rgba(11, 92, 173, 0.12)",
        fill: true,
        tension: 0,
        pointRadius: 3
      }]
    },
    options: {
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: formatTicks } }
    }
  });

  draw("balance-chart", {
    type: "bar",
    data: {
      labels: data.balance.labels,
      datasets: [
        { label: data.balance.inbound_label, data: data.balance.inbound, backgroundColor: accent },
        { label: data.balance.outbound_label, data: data.balance.outbound, backgroundColor: warm }
      ]
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { position: "bottom" } },
      scales: { x: { beginAtZero: true, ticks: formatTicks } }
    }
  });

  if (data.sankey.length && Chart.registry.controllers.get("sankey")) {
    draw("sankey-chart", {
      type: "sankey",
      data: {
        datasets: [{
          data: data.sankey,
          labels: data.sankey_labels,
          colorFrom: function () { return accent; },
          colorTo: function () { return warm; },
          colorMode: "gradient",
          borderWidth: 0,
          size: "max"
        }]
      },
      options: { plugins: { legend: { display: false } } }
    });
  }
})();
