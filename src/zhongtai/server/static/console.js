/* zhongtai console: draws ECharts from JSON specs the server puts in the page, formats numbers per
   locale (万/亿 in zh-CN), and shows upload progress. No inline script anywhere (strict CSP). */
(function () {
  "use strict";
  var lang = document.body.getAttribute("data-lang") || "en";
  var locale = lang === "zh_CN" ? "zh-CN" : "en-US";
  var currency = document.body.getAttribute("data-currency") || "CNY";
  var compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 2 });
  var plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: currency, notation: "compact", maximumFractionDigits: 2 });

  function fmt(kind) {
    return function (v) {
      if (v === null || v === undefined || isNaN(v)) { return "—"; }
      if (kind === "ratio") { return percent.format(v); }
      if (kind === "money") { return money.format(v); }
      return Math.abs(v) >= 10000 ? compact.format(v) : plain.format(v);
    };
  }

  function option(spec) {
    var f = fmt(spec.format || "number");
    var palette = ["#1d4ed8", "#f59e0b", "#15803d", "#b91c1c", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];
    if (spec.kind === "spark") {
      return {
        animation: false, color: palette,
        grid: { left: 0, right: 0, top: 4, bottom: 4 },
        xAxis: { type: "category", show: false, data: spec.x, boundaryGap: false },
        yAxis: { type: "value", show: false, scale: true },
        tooltip: { trigger: "axis", valueFormatter: f, confine: true },
        series: spec.series.map(function (s) {
          return { type: "line", name: s.name, data: s.data, showSymbol: false, smooth: true, lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 } };
        })
      };
    }
    if (spec.kind === "pie") {
      var s0 = spec.series[0] || { data: [] };
      return {
        animation: false, color: palette,
        tooltip: { trigger: "item", valueFormatter: f, confine: true },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], name: s0.name,
          data: spec.x.map(function (name, i) { return { name: name, value: s0.data[i] }; }) }]
      };
    }
    var horizontal = spec.kind === "hbar";
    var category = { type: "category", data: spec.x, axisLabel: { hideOverlap: true } };
    var values = [{ type: "value", axisLabel: { formatter: f }, scale: spec.kind === "line" }];
    if (spec.format2) {  /* metrics of another kind (counts beside money) get their own axis */
      values.push({ type: "value", axisLabel: { formatter: fmt(spec.format2) }, scale: true, splitLine: { show: false } });
    }
    return {
      animation: false, color: palette,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", confine: true },
      xAxis: horizontal ? values[0] : category,
      yAxis: horizontal ? category : (values.length > 1 ? values : values[0]),
      series: spec.series.map(function (s) {
        var own = fmt(s.format || spec.format || "number");
        return { type: horizontal ? "bar" : (spec.kind === "bar" ? "bar" : "line"), name: s.name, data: s.data,
          yAxisIndex: horizontal ? 0 : (s.axis || 0), tooltip: { valueFormatter: own },
          showSymbol: spec.x.length < 40, stack: spec.stack ? "total" : undefined };
      })
    };
  }

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    var scope = root || document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("[data-spec]"));
    if (scope.getAttribute && scope.getAttribute("data-spec")) { nodes.push(scope); }
    nodes.forEach(function (el) {
      if (el.getAttribute("data-drawn") === "1") { return; }
      var spec = JSON.parse(el.getAttribute("data-spec"));
      var chart = echarts.init(el, null, { renderer: "svg", locale: lang === "zh_CN" ? "ZH" : "EN" });
      chart.setOption(option(spec));
      el.setAttribute("data-drawn", "1");
    });
  }

  function resizeAll() {
    if (typeof echarts === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-drawn='1']"), function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:load", function (e) { draw(e.target); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
  window.addEventListener("resize", resizeAll);

  /* Upload progress: a <progress data-upload-progress> inside the form shows bytes sent. */
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest ? e.target.closest("form") : null;
    var bar = form ? form.querySelector("progress[data-upload-progress]") : null;
    if (bar && e.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    }
  });

  /* Job progress: elements with data-poll re-request themselves through htmx (hx-trigger) until done. */
  window.zhongtai = { format: fmt, draw: draw };
})();
