/* Measure form: draw the measure's location on the map with leaflet-geoman (vendored). The drawing is kept
   as GeoJSON (EPSG:4326) in the hidden field "geometry"; one shape per measure (a new one replaces the
   old). The text field "geometry_text" (WKT or GeoJSON) is the keyboard way and wins when filled in, so a
   new drawing empties it; the live region says what was drawn. Runs again on a form htmx swaps in (422).
   No inline code or styles (CSP). */
(function () {
  "use strict";

  function say(form, text) {
    var status = form.querySelector("[data-map-status]");
    if (status) { status.textContent = text; }
  }

  function kindText(form, type) {
    var el = form.querySelector("[data-map-status]");
    var names = { Point: "point", MultiPoint: "point", LineString: "line", MultiLineString: "line",
      Polygon: "polygon", MultiPolygon: "polygon" };
    return (el && el.dataset["text" + (names[type] || "polygon").replace(/^./, function (c) { return c.toUpperCase(); })]) || type;
  }

  function setup(form) {
    var el = form.querySelector("[data-measure-map]");
    var hidden = form.querySelector("input[name=geometry]");
    var typed = form.querySelector("textarea[name=geometry_text]");
    if (!el || !hidden || el.dataset.ready || !window.nabolag || !window.nabolag.zoneLayers) { return; }
    el.dataset.ready = "1";
    var ready = window.nabolag.zoneLayers(el, { link: false });
    if (!ready) { return; }
    ready.then(function (drawn) {
      var map = drawn.map;
      drawn.layer.eachLayer(function (l) { l.options.pmIgnore = true; });  // zones are not for editing
      var shape = null;

      function store(layer) {
        var geometry = layer ? layer.toGeoJSON().geometry : null;
        hidden.value = geometry ? JSON.stringify(geometry) : "";
        el.setAttribute("data-drawn", geometry ? geometry.type : "");
        if (geometry && typed) { typed.value = ""; }
        say(form, geometry ? (el.dataset.textDrawn || "") + " " + kindText(form, geometry.type)
          : (el.dataset.textRemoved || ""));
      }

      function keep(layer) {
        if (shape && shape !== layer) { map.removeLayer(shape); }
        shape = layer;
        layer.on("pm:edit pm:dragend", function () { store(layer); });
        store(layer);
      }

      if (hidden.value) {
        try {
          var existing = L.geoJSON(JSON.parse(hidden.value), {
            pointToLayer: function (f, latlng) { return L.marker(latlng); },
            style: function () { return { className: "measure drawing" }; }
          });
          existing.eachLayer(function (l) {
            l.addTo(map);
            shape = l;
            l.on("pm:edit pm:dragend", function () { store(l); });
          });
          if (existing.getBounds().isValid()) { map.fitBounds(drawn.layer.getBounds().extend(existing.getBounds())); }
        } catch (e) { say(form, el.dataset.textUnreadable || ""); }
      }

      map.pm.setLang(document.documentElement.lang === "en" ? "en" : "no");
      map.pm.setGlobalOptions({ pathOptions: { className: "measure drawing" } });
      map.pm.addControls({
        position: "topleft", drawMarker: true, drawPolyline: true, drawPolygon: true, drawRectangle: true,
        drawCircle: false, drawCircleMarker: false, drawText: false, cutPolygon: false, rotateMode: false,
        editMode: true, dragMode: true, removalMode: true
      });
      map.on("pm:create", function (e) { keep(e.layer); });
      map.on("pm:remove", function (e) {
        if (e.layer === shape) { shape = null; store(null); }
      });
      el.setAttribute("data-editor", "ready");
    });
  }

  function scan(root) {
    var forms = (root.matches && root.matches("form[data-measure-form]")) ? [root]
      : Array.prototype.slice.call((root.querySelectorAll ? root : document).querySelectorAll("form[data-measure-form]"));
    forms.forEach(setup);
  }

  function start() {
    scan(document);
    document.addEventListener("htmx:load", function (e) { scan(e.detail.elt || document); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
