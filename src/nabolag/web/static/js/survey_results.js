/* Survey results page (/surveys/{code}/results): one radar chart per area against the city, drawn with
   Vega-Lite from the page's JSON twin. The spec of each radar (`chart`) is built on the server
   (nabolag.charts.radar_chart, shared with the reports): themes are numbered spokes like the rows of the
   table beside the chart, which holds the same numbers (and is what screen readers and keyboard users
   read: the chart is aria-hidden). No inline code or styles (CSP); vega-embed runs with the expression
   interpreter (ast). */
(function () {
  "use strict";

  function draw(data) {
    if (typeof window.vegaEmbed !== "function") { return; }
    (data.radars || []).forEach(function (radar) {
      var el = document.getElementById("radar-" + radar.area);
      if (!el || !radar.chart) { return; }
      window.vegaEmbed(el, radar.chart, {
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
      .then(function (data) { draw(data); })
      .catch(function (err) { root.dataset.error = String(err); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
