/* Programme page: the area's zones with the measures' locations on one map (measure_map.js, map.js),
   and htmx answers with validation errors (422) shown in place. No inline code or styles (CSP). */
(function () {
  "use strict";

  function start() {
    var el = document.getElementById("programme-map");
    if (!el || !window.nabolag || !window.nabolag.zoneLayers) { return; }
    var data = window.nabolag.readMeasures(el);
    var ready = window.nabolag.zoneLayers(el, { link: false });
    if (!ready) { return; }
    ready.then(function (drawn) {
      if (data && data.features.length) {
        window.nabolag.drawMeasures(drawn.map, data, { link: el.dataset.link || "" });
      }
      el.setAttribute("data-measures-drawn", String(data ? data.features.length : 0));
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
