/* Zone page: the zone on a small map and one Vega-Lite chart per indicator, drawn from the page's
   JSON twin (/zones/{code}.json). The chart specs are built on the server (nabolag.charts, shared with
   the reports, which render the same specs to SVG): each indicator's `chart` is embedded as it comes.
   The server-rendered tables hold the same numbers, so the page works without this script and for
   screen readers. No inline code or styles (CSP). */
(function () {
  "use strict";

  function drawCharts(data) {
    if (typeof window.vegaEmbed !== "function") { return; }
    data.indicators.forEach(function (ind) {
      var el = document.getElementById("chart-" + ind.code);
      if (!el || !ind.chart) { return; }
      window.vegaEmbed(el, ind.chart, {
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
      .then(function (data) { drawMap(data); drawCharts(data); })
      .catch(function (err) { root.dataset.error = String(err); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
