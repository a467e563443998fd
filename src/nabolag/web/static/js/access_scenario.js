/* The scenario form: draw a new path (line) or a planned facility (point or polygon) with leaflet-geoman
   (vendored) on a map of the walking network (the distance dots of access.js show where the network is).
   The drawing is kept as GeoJSON (EPSG:4326) in the hidden field "geometry"; one shape at a time (a new one
   replaces the old), and the "object" radio follows what was drawn. The text field "geometry_text" (WKT or
   GeoJSON) is the keyboard way and wins when filled in, so a new drawing empties it; the live region says
   what was drawn. No inline code or styles (CSP). */
(function () {
  "use strict";

  function setup(form) {
    var el = form.querySelector("[data-scenario-map]");
    var hidden = form.querySelector("input[name=geometry]");
    var typed = form.querySelector("textarea[name=geometry_text]");
    var status = form.querySelector("[data-map-status]");
    if (!el || !hidden || !window.L || !window.L.PM) { return; }
    var map = L.map(el, { zoomSnap: 0.25, zoomDelta: 0.5 });
    el.classList.add("plain");
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("© OpenStreetMap contributors");
    var box = (el.dataset.bbox || "").split(",").map(Number);
    if (box.length === 4) { map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [8, 8] }); } else { map.setView([60, 10], 12); }
    if (el.dataset.layer && window.nabolag && window.nabolag.accessLayer) {
      window.nabolag.accessLayer(map, el.dataset.layer, { element: el }).reload();
    }
    var shape = null;
    var names = { LineString: "line", Point: "point", Polygon: "polygon" };

    function store(layer) {
      var geometry = layer ? layer.toGeoJSON().geometry : null;
      hidden.value = geometry ? JSON.stringify(geometry) : "";
      el.setAttribute("data-drawn", geometry ? geometry.type : "");
      if (geometry) {
        if (typed) { typed.value = ""; }
        var what = geometry.type === "LineString" ? "path" : "facility";
        var radio = form.querySelector("input[name=object][value=" + what + "]");
        if (radio) { radio.checked = true; }
        var key = "text" + (names[geometry.type] || "polygon").replace(/^./, function (c) { return c.toUpperCase(); });
        status.textContent = (el.dataset.textDrawn || "") + " " + (el.dataset[key] || geometry.type);
      } else {
        status.textContent = el.dataset.textRemoved || "";
      }
    }

    map.pm.setLang(document.documentElement.lang === "en" ? "en" : "no");
    map.pm.setGlobalOptions({ snappable: false, pathOptions: { className: "planned-path drawing" } });
    map.pm.addControls({
      position: "topleft", drawMarker: true, drawPolyline: true, drawPolygon: true, drawRectangle: false,
      drawCircle: false, drawCircleMarker: false, drawText: false, cutPolygon: false, rotateMode: false,
      editMode: true, dragMode: true, removalMode: true
    });
    map.on("pm:create", function (e) {
      if (shape && shape !== e.layer) { map.removeLayer(shape); }
      shape = e.layer;
      shape.on("pm:edit pm:dragend", function () { store(shape); });
      store(shape);
    });
    map.on("pm:remove", function (e) { if (e.layer === shape) { shape = null; store(null); } });
    window.nabolag.scenarioMap = map;  // for scripts and tests: the drawing map
    el.setAttribute("data-editor", "ready");
  }

  function start() {
    document.querySelectorAll("form[data-scenario-form]").forEach(setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
