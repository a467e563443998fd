/* Walking access maps (issue 8): the distance layer from /geo/access/{kind}.geojson as streets coloured
   by the walking distance to their mid-point (layer=edges: one line feature per class), or as coloured
   dots (nodes thinned to the zoom, or population points; classes ad0..ad4 in access.css; a ring marks a
   dot whose distance got shorter in a scenario), the facilities as markers, and the zones as outlines
   (window.nabolag.drawZones, map.js).
   window.nabolag.accessLayer(map, url, options) -> {reload()} keeps one layer in step with the view:
   after a zoom or a move it fetches it again for the new zoom (thinned or simplified to it) and box.
   When a view holds too many streets (the server says too_many) it shows the thinned nodes instead.
   The map element says what it drew: data-dots (points), data-edges (street edges), data-improved.
   Every map element with class "access-map" is drawn from its data-* attributes. Texts come from
   data-text-* attributes; nothing inline (CSP). */
(function () {
  "use strict";
  var nabolag = window.nabolag = window.nabolag || {};

  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function fmt(v) { return nabolag.formatNumber ? nabolag.formatNumber(Math.round(v)) : String(Math.round(v)); }

  function describe(p, el) {
    var t = el.dataset;
    if (p.label !== undefined) {
      return p.label + " (" + p.edges + " " + (t.textEdges || "") + ")";
    }
    var parts = [p.d === null ? (t.textBeyond || "beyond") : fmt(p.d) + " " + (t.textMetres || "m")];
    if (p.d_before !== undefined) {
      parts.push("(" + (t.textBefore || "before") + ": " + (p.d_before === null ? (t.textBeyond || "–") : fmt(p.d_before) + " m") + ")");
    }
    if (p.population !== undefined) {
      parts.push(p.suppressed ? (t.textHidden || "") : fmt(p.population) + " " + (t.textPeople || ""));
    }
    if (p.n > 1) { parts.push("– " + p.n + " " + (t.textNodes || "")); }
    return parts.join(" ");
  }

  function radius(zoom) { return Math.max(3, Math.min(9, zoom - 9)); }

  function edgeWidth(zoom) { return zoom >= 17 ? 4 : zoom >= 15 ? 3 : 2; }

  function dotStyle(p, zoom) {
    return { radius: radius(zoom) + (p.improved ? 2 : 0), weight: p.improved ? 3 : 1,
      className: "access-dot ad" + p["class"] + (p.improved ? " improved" : "") };
  }

  function paddedBox(map) {
    var b = map.getBounds().pad(0.5);
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
  }

  nabolag.accessLayer = function (map, url, opts) {
    opts = opts || {};
    var el = opts.element || map.getContainer();
    var state = { layer: null, url: url, seq: 0 };
    function reload() {
      var seq = ++state.seq;
      var u = new URL(state.url, window.location.href);
      var zoom = Math.round(map.getZoom());
      if (u.searchParams.get("layer") !== "people") { u.searchParams.set("zoom", String(zoom)); }
      u.searchParams.set("bbox", paddedBox(map));
      function get() {
        return fetch(u.pathname + u.search, { headers: { Accept: "application/geo+json" } }).then(function (r) {
          if (!r.ok) { throw new Error(u.pathname + ": " + r.status); }
          return r.json();
        });
      }
      return get().then(function (data) {
        if (!data.too_many) { return data; }
        u.searchParams.set("layer", "nodes");  // too many streets in this view: the thinned nodes instead
        return get();
      }).then(function (data) {
        if (seq !== state.seq) { return; }
        if (state.layer) { map.removeLayer(state.layer); }
        state.layer = L.geoJSON(data, {
          style: function (f) {  // Leaflet applies it to the dots too: theirs is the dot's own class
            var p = f.properties;
            if (f.geometry.type === "Point") { return dotStyle(p, zoom); }
            return { className: "access-edge ad" + p["class"] + (p.improved ? " improved" : ""), weight: edgeWidth(zoom) };
          },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, dotStyle(f.properties, zoom)); },
          onEachFeature: function (f, l) {
            l.bindTooltip(function () { return textNode(describe(f.properties, el)); }, { direction: "top" });
          }
        }).addTo(map);
        if (opts.back !== false) { state.layer.bringToBack(); }
        var dots = data.features.filter(function (f) { return f.geometry.type === "Point"; });
        var edges = data.features.reduce(function (n, f) { return n + (f.properties.edges || 0); }, 0);
        el.setAttribute("data-dots", String(dots.length));
        el.setAttribute("data-edges", String(edges));
        el.setAttribute("data-improved", String(data.features.filter(function (f) { return f.properties.improved; }).length));
        el.dispatchEvent(new CustomEvent("nabolag:access", { detail: { count: data.features.length } }));
      }).catch(function (e) { el.setAttribute("data-error", String(e)); });
    }
    var timer = null;
    map.on("zoomend moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(reload, 150);
    });
    return { reload: reload, setUrl: function (u) { state.url = u; return reload(); } };
  };

  nabolag.accessFacilities = function (map, url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return { className: "planned-path", weight: 5 }; },
        pointToLayer: function (f, latlng) {
          var p = f.properties;
          return L.marker(latlng, {
            icon: L.divIcon({ className: "facility-marker" + (p.planned ? " planned" : ""), iconSize: [16, 16] }),
            title: p.name || p.kind, alt: p.name || p.kind, keyboard: true
          });
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(textNode(f.properties.name || f.properties.kind), { direction: "top" });
        }
      }).addTo(map);
      map.getContainer().setAttribute("data-facilities-drawn", String(data.features.length));
      return layer;
    });
  };

  function plainMap(el) {
    var map = L.map(el, { zoomSnap: 0.25, zoomDelta: 0.5 });
    var basemap = document.body.dataset.basemap || "";
    if (basemap) {
      L.tileLayer(basemap, { maxZoom: 19, attribution: document.body.dataset.basemapAttribution || "" }).addTo(map);
    } else { el.classList.add("plain"); }
    map.attributionControl.setPrefix(false);
    return map;
  }

  function start(el) {
    var fit = function (map, data) {
      if (data.bbox && data.bbox.length === 4) {
        map.fitBounds([[data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]], { padding: [8, 8] });
      }
    };
    var ready = el.dataset.zones && nabolag.drawZones
      ? nabolag.drawZones(el, el.dataset.zones, { link: true, fit: false, zoom: 12 }).then(function (d) { return d.map; })
      : Promise.resolve(plainMap(el));
    ready.then(function (map) {
      map.attributionControl.addAttribution("© OpenStreetMap contributors");
      var probe = new URL(el.dataset.layer, window.location.href);
      probe.searchParams.set("zoom", "8");  // only its bbox is wanted: thinned to a few dots
      return fetch(probe.pathname + probe.search, { headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); })
        .then(function (first) {
          fit(map, first);
          var layer = nabolag.accessLayer(map, el.dataset.edgesUrl || el.dataset.layer, { element: el });
          var done = layer.reload();
          if (el.dataset.facilities) { nabolag.accessFacilities(map, el.dataset.facilities); }
          document.querySelectorAll("input[name=access-layer]").forEach(function (radio) {
            radio.addEventListener("change", function () {
              if (radio.checked) {
                layer.setUrl(radio.value === "people" ? el.dataset.people : radio.value === "edges" ? el.dataset.edgesUrl : el.dataset.layer);
              }
            });
          });
          return done;
        });
    }).then(function () { el.setAttribute("data-ready", "1"); })
      .catch(function (e) { el.setAttribute("data-error", String(e)); });
  }

  function scan() {
    document.querySelectorAll(".access-map").forEach(start);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", scan); } else { scan(); }
}());
