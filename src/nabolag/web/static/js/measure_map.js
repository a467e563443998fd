/* Measures (tiltak) on a Leaflet map: points, lines and polygons from a GeoJSON FeatureCollection whose
   features carry properties {code, title, status, status_label, kind_label}.
   window.nabolag.drawMeasures(map, data, options) -> L.GeoJSON layer. Options (all optional):
     link: "url"        a click opens url + "#measure-{code}" (e.g. the programme page)
     fit: true          fit the map to the measures (and keep the zones in view)
   Every shape gets class "measure" and "status-{status}" (styled in programme.css) and data-measure="{code}";
   a point is a circle marker (an SVG path too, so it follows the CSP and the same classes).
   window.nabolag.zoneLayers(el) reads data-zone-layers (layers from the read model) and draws them with
   drawZones (map.js); returns the Promise of drawZones, or null. No inline code or styles (CSP). */
(function () {
  "use strict";
  var nabolag = window.nabolag = window.nabolag || {};

  function label(p) {
    return p.title + " (" + (p.status_label || p.status) + ")";
  }

  nabolag.drawMeasures = function (map, data, opts) {
    opts = opts || {};
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { className: "measure status-" + f.properties.status, weight: 3 };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 8, className: "measure status-" + f.properties.status });
      },
      onEachFeature: function (f, l) {
        var span = document.createElement("span");
        span.textContent = label(f.properties);
        l.bindTooltip(span, { sticky: true, direction: "top" });
        if (opts.link) {
          l.on("click", function () {
            window.location.href = opts.link + "#measure-" + encodeURIComponent(f.properties.code);
          });
        }
      }
    }).addTo(map);
    layer.eachLayer(function (l) {
      var el = l.getElement && l.getElement();
      if (el) { el.setAttribute("data-measure", l.feature.properties.code); }
    });
    if (opts.fit && layer.getBounds().isValid()) {
      map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 16 });
    }
    return layer;
  };

  nabolag.zoneLayers = function (el, options) {
    var layers;
    try { layers = JSON.parse(el.dataset.zoneLayers || "[]"); } catch (e) { return null; }
    if (!layers.length || typeof nabolag.drawZones !== "function") { return null; }
    var codes = [];
    layers.forEach(function (layer) { Array.prototype.push.apply(codes, layer.codes); });
    var opts = Object.assign({ highlight: codes, fit: true, link: false }, options || {});
    return nabolag.drawZones(el, layers[0].url, opts);
  };

  nabolag.readMeasures = function (el) {
    try { return JSON.parse(el.dataset.measures || "null"); } catch (e) { return null; }
  };
}());
