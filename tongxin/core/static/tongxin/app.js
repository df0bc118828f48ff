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

  // A step form: fields marked data-for-actions="a b" show only for those actions (all show
  // without JavaScript); a ready answer (select[data-fills=ID]) fills the note it names.
  function showStepFields(select) {
    var form = select.form;
    form.querySelectorAll("[data-for-actions]").forEach(function (el) {
      el.hidden = el.dataset.forActions.split(" ").indexOf(select.value) < 0;
    });
  }
  // A report form: a field marked data-when-category=PK shows only with that category chosen.
  function showCategoryFields(form) {
    var chosen = form.querySelector("input[name=category]:checked");
    form.querySelectorAll("[data-when-category]").forEach(function (el) {
      el.hidden = !chosen || chosen.value !== el.dataset.whenCategory;
    });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("input[name=category]") && el.form) showCategoryFields(el.form);
    if (el.matches("select[data-steps]")) showStepFields(el);
    if (el.matches("select[data-fills]") && el.selectedIndex > 0) {
      var target = document.getElementById(el.dataset.fills);
      if (target) target.value = el.options[el.selectedIndex].text;
    }
  });

  // Countdowns (<time data-countdown datetime=ISO>): kept current without a reload, in the
  // words the server gave (data-left-word, data-late-word).
  function tickCountdowns() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("datetime")) - now;
      var late = left < 0, mins = Math.floor(Math.abs(left) / 60000);
      var span = mins >= 1440 ? Math.floor(mins / 1440) + "d " + Math.floor((mins % 1440) / 60) + "h"
        : mins >= 60 ? Math.floor(mins / 60) + "h " + (mins % 60) + "m" : mins + "m";
      var what = el.textContent.split(":")[0];
      el.textContent = what + ": " + (late ? el.dataset.lateWord : el.dataset.leftWord) + " " + span;
      el.classList.toggle("late", late);
    });
  }
  setInterval(tickCountdowns, 30000);

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    document.querySelectorAll("select[data-steps]").forEach(showStepFields);
    document.querySelectorAll("form").forEach(function (f) {
      if (f.querySelector("[data-when-category]")) showCategoryFields(f);
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
