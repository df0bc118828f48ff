// Charts for the indicators. Lines: <div data-line-chart="ID"> with a json_script block named ID
// holding {labels, series: [{name, values}], max}; bars (the big screen): <div data-bar-chart>
// with {labels, values}. Either may carry its data in data-spec instead (the big screen's
// polled content, since htmx drops script elements). No inline scripts (strict CSP).
(function () {
  "use strict";

  function specOf(el, id) {
    if (el.dataset.spec) return JSON.parse(el.dataset.spec);
    var source = id && document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function options(el, spec) {
    var base = {
      aria: { enabled: true },
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
      textStyle: { fontSize: document.body.classList.contains("screen") ? 16 : 12 },
    };
    if (el.hasAttribute("data-bar-chart")) {
      base.xAxis = { type: "value", min: 0, max: 100 };
      base.yAxis = { type: "category", data: spec.labels, inverse: true };
      base.series = [{ type: "bar", data: spec.values, barMaxWidth: 48, label: { show: true, position: "right" } }];
      return base;
    }
    base.legend = { top: 0 };
    base.xAxis = { type: "category", data: spec.labels };
    base.yAxis = { type: "value", min: 0, max: spec.max || null, minInterval: 1 };
    base.series = spec.series.map(function (s) {
      return { type: "line", name: s.name, data: s.values, connectNulls: true, symbolSize: 6 };
    });
    return base;
  }

  function draw(root) {
    if (typeof window.echarts === "undefined") return;
    var dark = document.body.classList.contains("screen");
    root.querySelectorAll("[data-line-chart], [data-bar-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var spec = specOf(el, el.dataset.lineChart);
      if (!spec) return;
      var chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "svg" });
      chart.setOption(options(el, spec));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  // The big screen fetches its figures again every minute (htmx polling): draw the new charts.
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
