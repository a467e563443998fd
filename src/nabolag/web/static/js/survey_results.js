/* Survey results page (/surveys/{code}/results): one radar chart per area against the city, drawn with
   Vega-Lite from the page's JSON twin. Vega-Lite has no radar mark, so the chart is built in Cartesian
   coordinates: each theme is a spoke at angle 2πi/k (the first straight up), a value is placed at
   radius value/max along its spoke, and each place is a closed line through its points; rings and spokes
   are line and rule layers, the spokes are numbered as the rows of the table beside the chart, which holds
   the same numbers (and is what screen readers and keyboard users read: the chart is aria-hidden).
   A suppressed value (null) leaves a gap: the line is drawn through the shown themes only.
   No inline code or styles (CSP); vega-embed runs with the expression interpreter (ast). */
(function () {
  "use strict";

  var COLOURS = ["#0b5394", "#3d3d3d"];
  var DASHES = [[1, 0], [5, 3]];
  var RINGS = [0.25, 0.5, 0.75, 1];

  function scaleOf(unit) {
    return unit === "1-7" ? { min: 1, max: 7 } : { min: 0, max: 100 };
  }

  function polar(i, k, r) {
    var a = 2 * Math.PI * i / k - Math.PI / 2;
    return { x: r * Math.cos(a), y: -r * Math.sin(a) };
  }

  function radarSpec(radar, L) {
    var k = radar.themes.length, sc = scaleOf(radar.unit);
    var names = [radar.area_name, radar.city_name];
    var rings = [], spokes = [], labels = [], points = [];
    RINGS.forEach(function (r) {
      for (var i = 0; i <= k; i++) {
        var p = polar(i % k, k, r);
        rings.push({ ring: r, order: i, x: p.x, y: p.y });
      }
    });
    radar.themes.forEach(function (t, i) {
      var end = polar(i, k, 1), lab = polar(i, k, 1.14);
      spokes.push({ x: 0, y: 0, x2: end.x, y2: end.y });
      labels.push({ x: lab.x, y: lab.y, text: String(i + 1) });
    });
    ["area", "city"].forEach(function (role, j) {
      var first = null;
      radar.themes.forEach(function (t, i) {
        var v = radar.values.filter(function (r) { return r.theme === t && r.place === role; })[0];
        if (!v || v.value === null) { return; }
        var r = Math.max(0, Math.min(1, (v.value - sc.min) / (sc.max - sc.min)));
        var p = polar(i, k, r);
        var row = { place: names[j], order: i, x: p.x, y: p.y, theme: (i + 1) + ". " + v.label, value: v.value,
                    lo: v.ci_low, hi: v.ci_high };
        if (first === null) { first = row; }
        points.push(row);
      });
      if (first) { points.push(Object.assign({}, first, { order: k })); }  /* close the shape */
    });
    var x = { field: "x", type: "quantitative", scale: { domain: [-1.25, 1.25] }, axis: null };
    var y = { field: "y", type: "quantitative", scale: { domain: [-1.25, 1.25] }, axis: null };
    var colour = { field: "place", type: "nominal", scale: { domain: names, range: COLOURS },
                   legend: { title: null, orient: "bottom", symbolType: "stroke", symbolStrokeWidth: 3, labelFontSize: 13 } };
    var ringLabels = RINGS.map(function (r) {
      return { x: 0.03, y: r, text: String(Math.round((sc.min + r * (sc.max - sc.min)) * 10) / 10) };
    });
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      description: names.join(" / "),
      width: 300, height: 300, autosize: { type: "pad" }, view: { stroke: null },
      layer: [
        { data: { values: rings }, mark: { type: "line", color: "#c8c8c8", strokeWidth: 1 },
          encoding: { x: x, y: y, detail: { field: "ring", type: "nominal" }, order: { field: "order", type: "quantitative" } } },
        { data: { values: spokes }, mark: { type: "rule", color: "#c8c8c8" },
          encoding: { x: x, y: y, x2: { field: "x2" }, y2: { field: "y2" } } },
        { data: { values: ringLabels }, mark: { type: "text", align: "left", baseline: "bottom", fontSize: 10, color: "#555" },
          encoding: { x: x, y: y, text: { field: "text" } } },
        { data: { values: labels }, mark: { type: "text", fontSize: 13, fontWeight: "bold", color: "#222" },
          encoding: { x: x, y: y, text: { field: "text" } } },
        { data: { values: points }, mark: { type: "line", strokeWidth: 2.5, point: { filled: true, size: 40 } },
          encoding: { x: x, y: y, color: colour, order: { field: "order", type: "quantitative" },
                      strokeDash: { field: "place", type: "nominal", scale: { domain: names, range: DASHES }, legend: colour.legend },
                      tooltip: [{ field: "place", title: L.area }, { field: "theme", title: " " },
                                { field: "value", title: L.value, format: ".1f" },
                                { field: "lo", title: L.interval + " ↓", format: ".1f" },
                                { field: "hi", title: L.interval + " ↑", format: ".1f" }] } }
      ]
    };
  }

  function draw(root, data) {
    if (typeof window.vegaEmbed !== "function") { return; }
    var L = { area: root.dataset.labelArea || "Område", value: root.dataset.labelValue || "Verdi",
              interval: root.dataset.labelInterval || "95 % intervall" };
    (data.radars || []).forEach(function (radar) {
      var el = document.getElementById("radar-" + radar.area);
      if (!el || !radar.themes.length) { return; }
      window.vegaEmbed(el, radarSpec(radar, L), {
        renderer: "svg", actions: false, ast: true, defaultStyle: false, tooltip: false
      }).then(function () { el.classList.add("drawn"); }).catch(function (err) {
        el.dataset.error = String(err && err.message || err);
      });
    });
  }

  function start() {
    var root = document.getElementById("survey-results");
    if (!root || !document.querySelector(".radar")) { return; }
    fetch(root.dataset.twin, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { draw(root, data); })
      .catch(function (err) { root.dataset.error = String(err); });
  }

  window.nabolag = window.nabolag || {};
  window.nabolag.surveyRadarSpec = radarSpec;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
