// The evaluation results' line charts: <div data-score-chart="ID"> with a json_script block named
// ID holding {labels, series: [{name, values}], max}. ECharts is the vendored copy (no CDN);
// without it (or without JavaScript) the table under each chart carries the same figures.
// No inline scripts (strict CSP).
(function () {
  "use strict";

  function draw() {
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-score-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.scoreChart);
      if (!source || el.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        aria: { enabled: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: spec.labels },
        yAxis: { type: "value", min: 1, max: spec.max || 5 },
        series: spec.series.map(function (s) {
          return { type: "line", name: s.name, data: s.values, connectNulls: true, symbolSize: 8 };
        }),
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
