// Tongxin page behaviour. No inline scripts anywhere (strict CSP): pages pass data in
// <script type="application/json"> blocks (json_script) and data-* attributes.
(function () {
  "use strict";

  // Charts: <div class="chart" data-chart="ID"> with a json_script block named ID.
  function drawCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        aria: { enabled: true },
        grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: spec.labels, inverse: true },
        series: [{ type: "bar", data: spec.values, label: { show: true, position: "right" } }],
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // A form marked data-once disables its buttons once sent: an elderly user's double tap
  // sends one request (the server also accepts each form's key only once).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
