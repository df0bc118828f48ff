// Line charts for the indicators: <div data-line-chart="ID"> with a json_script block named ID
// holding {labels, series: [{name, values}], max}. No inline scripts (strict CSP).
(function () {
  "use strict";

  function draw(root) {
    if (typeof window.echarts === "undefined") return;
    var dark = document.body.classList.contains("screen");
    root.querySelectorAll("[data-line-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.lineChart);
      if (!source || el.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
      chart.setOption({
        aria: { enabled: true },
        backgroundColor: "transparent",
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: spec.labels },
        yAxis: { type: "value", min: 0, max: spec.max || null, minInterval: 1 },
        series: spec.series.map(function (s) {
          return { type: "line", name: s.name, data: s.values, connectNulls: true, symbolSize: 6 };
        }),
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
})();
