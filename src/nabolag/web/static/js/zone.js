/* Zone page: the zone on a small map and one Vega-Lite chart per indicator, drawn from the page's
   JSON twin (/zones/{code}.json). The server-rendered tables hold the same numbers, so the page
   works without this script and for screen readers. No inline code or styles (CSP). */
(function () {
  "use strict";

  var ROLES = ["zone", "parent", "city"];
  var COLOURS = { zone: "#0b5394", parent: "#a04a00", city: "#3d3d3d" };
  var DASHES = { zone: [1, 0], parent: [6, 3], city: [2, 2] };

  function labels(root) {
    return {
      period: root.dataset.labelPeriod || "Periode",
      baseline: root.dataset.labelBaseline || "Nullpunkt",
      interval: root.dataset.labelInterval || "95 % intervall",
      value: root.dataset.labelValue || "Verdi",
      target: root.dataset.labelTarget || "Målverdi"
    };
  }

  function seriesRows(ind, places) {
    var points = [], bands = [];
    ind.series.forEach(function (s) {
      ROLES.forEach(function (role) {
        var c = s[role];
        if (!c || c.value === null || !places[role]) { return; }
        var row = { period: s.period, place: places[role].name, value: c.value, lo: c.ci_low, hi: c.ci_high };
        points.push(row);
        if (c.ci_low !== null && c.ci_high !== null) { bands.push(row); }
      });
    });
    return { points: points, bands: bands };
  }

  function chartSpec(ind, data, L) {
    var roles = ROLES.filter(function (r) { return data.places[r] && (r === "zone" || ind.compared); });
    var names = roles.map(function (r) { return data.places[r].name; });
    var colours = roles.map(function (r) { return COLOURS[r]; });
    var dashes = roles.map(function (r) { return DASHES[r]; });
    var rows = seriesRows(ind, data.places);
    var periods = ind.series.map(function (s) { return s.period; });
    var x = { field: "period", type: "ordinal", sort: periods, title: L.period, axis: { labelAngle: 0 } };
    var legend = { title: null, orient: "bottom", symbolType: "stroke", symbolStrokeWidth: 2, labelFontSize: 12 };
    var colour = { field: "place", type: "nominal", scale: { domain: names, range: colours }, legend: legend };
    var dash = { field: "place", type: "nominal", scale: { domain: names, range: dashes }, legend: legend };
    var layers = [];
    if (rows.bands.length) {
      layers.push({ data: { values: rows.bands }, mark: { type: "area", fillOpacity: 0.15 },
                    encoding: { x: x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: colour } });
    }
    layers.push({ data: { values: rows.points }, mark: { type: "line", point: true, strokeWidth: 2 },
                  encoding: { x: x, y: { field: "value", type: "quantitative", title: ind.unit, scale: { zero: false } },
                              color: colour, strokeDash: dash,
                              tooltip: [{ field: "place", title: " " }, { field: "period", title: L.period },
                                        { field: "value", title: L.value, format: ".2f" },
                                        { field: "lo", title: L.interval + " ↓", format: ".2f" },
                                        { field: "hi", title: L.interval + " ↑", format: ".2f" }] } });
    var base = ind.baselines.filter(function (b) { return b.value !== null; }).map(function (b) {
      var name = b.label.toLowerCase().indexOf(L.baseline.toLowerCase()) === -1 ? L.baseline + " " + b.label : b.label;
      return { value: b.value, label: name + " (" + b.area_name + ")" };
    });
    if (base.length) {
      layers.push({ data: { values: base }, mark: { type: "rule", strokeDash: [8, 4], color: "#6b3e00" },
                    encoding: { y: { field: "value", type: "quantitative" }, tooltip: [{ field: "label", title: " " }] } });
      layers.push({ data: { values: base }, mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#6b3e00" },
                    encoding: { y: { field: "value", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } } });
    }
    var goals = (ind.targets || []).filter(function (t) { return t.value !== null; }).map(function (t) {
      return { value: t.value, label: L.target + " " + (t.period || "") + " (" + t.area_name + ")" };
    });
    if (goals.length) {
      layers.push({ data: { values: goals }, mark: { type: "rule", strokeDash: [2, 3], strokeWidth: 2, color: "#1b5e20" },
                    encoding: { y: { field: "value", type: "quantitative" }, tooltip: [{ field: "label", title: " " }] } });
      layers.push({ data: { values: goals }, mark: { type: "text", align: "left", dx: 4, dy: 10, color: "#1b5e20" },
                    encoding: { y: { field: "value", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } } });
    }
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      description: ind.name,
      width: "container", height: 220, autosize: { type: "fit-x", contains: "padding" },
      layer: layers
    };
  }

  function drawCharts(root, data) {
    if (typeof window.vegaEmbed !== "function") { return; }
    var L = labels(root);
    data.indicators.forEach(function (ind) {
      var el = document.getElementById("chart-" + ind.code);
      if (!el || !ind.series.length) { return; }
      window.vegaEmbed(el, chartSpec(ind, data, L), {
        renderer: "svg", actions: false, ast: true, defaultStyle: false, tooltip: false
      }).then(function () { el.classList.add("drawn"); }).catch(function (err) {
        el.dataset.error = String(err && err.message || err);
      });
    });
  }

  function drawMap(data) {
    var el = document.getElementById("zone-map");
    if (!el || !window.nabolag || typeof window.nabolag.drawZones !== "function") { return; }
    window.nabolag.drawZones(el, el.dataset.geojson, { highlight: data.map.highlight, fit: true, link: true });
  }

  function start() {
    var root = document.getElementById("zone-page");
    if (!root) { return; }
    fetch(root.dataset.twin, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { drawMap(data); drawCharts(root, data); })
      .catch(function (err) { root.dataset.error = String(err); });
  }

  window.nabolag = window.nabolag || {};
  window.nabolag.zoneChartSpec = chartSpec;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
