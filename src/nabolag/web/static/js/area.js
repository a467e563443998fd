/* Area page: the area's zones and its comparison zones on one map (window.nabolag.drawZones from
   map.js), styled differently, with the programme's measures on top (window.nabolag.drawMeasures from
   measure_map.js); the lists and the legend on the page say the same in words.
   No inline code or styles (CSP). */
(function () {
  "use strict";

  function start() {
    var el = document.getElementById("area-map");
    if (!el || !window.nabolag || typeof window.nabolag.drawZones !== "function") { return; }
    var layers;
    try { layers = JSON.parse(el.dataset.layers || "[]"); } catch (e) { return; }
    var member = [], comparison = [], byLevel = {};
    layers.forEach(function (layer) {
      Array.prototype.push.apply(layer.role === "member" ? member : comparison, layer.codes);
      byLevel[layer.level] = (byLevel[layer.level] || []).concat(layer.codes);
    });
    // One map; zones of one level per request (an area's zones are nearly always of one level).
    var levels = Object.keys(byLevel);
    if (!levels.length) { return; }
    var level = levels[0];
    var url = "/geo/" + encodeURIComponent(level) + ".geojson?codes=" + byLevel[level].map(encodeURIComponent).join(",");
    var measures = window.nabolag.readMeasures ? window.nabolag.readMeasures(el) : null;
    window.nabolag.drawZones(el, url, { highlight: member, secondary: comparison, fit: true, link: true })
      .then(function (drawn) {
        if (measures && measures.features.length && window.nabolag.drawMeasures) {
          window.nabolag.drawMeasures(drawn.map, measures, { link: el.dataset.link || "" });
        }
        el.setAttribute("data-measures-drawn", String(measures ? measures.features.length : 0));
      });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
