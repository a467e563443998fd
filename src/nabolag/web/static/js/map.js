/* nabolag maps: draw zones from a /geo/{level}.geojson URL with Leaflet (vendored, no CDN).
   window.nabolag.drawZones(element, url, options) -> Promise of {map, layer, data}.
   Options (all optional):
     highlight: [codes]   zones drawn strongly (class "highlight"), e.g. the zone of a zone page
     secondary: [codes]   zones drawn as comparison (class "secondary", dashed)
     className: "..."     extra class on every zone path of this layer (e.g. "member", "comparison")
     choropleth: true     fill each zone by its "tone" property (classes q0..q4, qs = suppressed,
                          qn = no figure; colours in nabolag.css)
     fit: true            fit the map to the zones drawn (default true)
     link: true           click (or Enter on a focused zone) opens /zones/{code} (default true)
     tooltip: fn(props)   text shown on hover; default: the zone's name
     detail: true         fetch the outlines again, with more detail, after the user zooms in
     map: L.Map           add to an existing map (returned by an earlier call) instead of a new one
     basemap: "url"       tile URL template; default: <body data-basemap>; none: plain background
   Every zone path carries data-code="{code}" and class "zone". No inline code or styles (CSP). */
(function () {
  "use strict";
  var nabolag = window.nabolag = window.nabolag || {};

  function withZoom(url, zoom) {
    var u = new URL(url, window.location.href);
    u.searchParams.set("zoom", String(Math.max(0, Math.min(20, Math.round(zoom)))));
    return u.pathname + u.search;
  }

  function newMap(el, opts) {
    var map = L.map(el, { zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: true, preferCanvas: false });
    var basemap = opts.basemap !== undefined ? opts.basemap : (document.body.dataset.basemap || "");
    if (basemap) {
      L.tileLayer(basemap, { maxZoom: 19, attribution: document.body.dataset.basemapAttribution || "" }).addTo(map);
    } else {
      el.classList.add("plain");
    }
    map.attributionControl.setPrefix(false);
    return map;
  }

  function classesFor(props, opts) {
    var cls = ["zone"];
    if (opts.className) { cls.push(opts.className); }
    if (opts.choropleth) { cls.push(props.tone || "qn"); }
    if (opts.highlight && opts.highlight.indexOf(props.code) >= 0) { cls.push("highlight"); }
    if (opts.secondary && opts.secondary.indexOf(props.code) >= 0) { cls.push("secondary"); }
    return cls.join(" ");
  }

  function decorate(layer, opts) {
    layer.eachLayer(function (l) {
      var el = l.getElement && l.getElement();
      var p = l.feature.properties;
      if (!el) { return; }
      el.setAttribute("data-code", p.code);
    });
  }

  function textNode(text) {  /* tooltips take HTML: give them text only */
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function addLayer(map, data, opts) {
    var tip = opts.tooltip || function (p) { return p.name; };
    var layer = L.geoJSON(data, {
      style: function (f) { return { className: classesFor(f.properties, opts), weight: 1 }; },
      onEachFeature: function (f, l) {
        l.bindTooltip(function () { return textNode(tip(f.properties)); }, { sticky: true, direction: "top" });
        l.on("mouseover", function () { l.getElement().classList.add("hover"); if (l.bringToFront) { l.bringToFront(); } });
        l.on("mouseout", function () { l.getElement().classList.remove("hover"); });
        if (opts.link !== false) {
          l.on("click", function () { window.location.href = "/zones/" + encodeURIComponent(f.properties.code); });
        }
      }
    }).addTo(map);
    decorate(layer, opts);
    return layer;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  nabolag.drawZones = function (el, url, opts) {
    opts = opts || {};
    var map = opts.map || newMap(el, opts);
    var state = { zoom: null, layer: null };
    function load(target, fit) {
      var zoom = Math.round(target);
      return fetchJson(withZoom(url, zoom)).then(function (data) {
        if (state.layer) { map.removeLayer(state.layer); }
        state.layer = addLayer(map, data, opts);
        state.zoom = zoom;
        if (fit && opts.fit !== false && state.layer.getBounds().isValid()) {
          map.fitBounds(state.layer.getBounds(), { padding: [8, 8] });
        }
        el.setAttribute("data-zones", String(data.features.length));
        el.dispatchEvent(new CustomEvent("nabolag:zones", { detail: { count: data.features.length } }));
        return { map: map, layer: state.layer, data: data };
      });
    }
    var first = opts.zoom;
    if (first === undefined) {
      var box = opts.bbox || (el.dataset.bbox ? el.dataset.bbox.split(",").map(Number) : null);
      if (box && box.length === 4) {
        map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [8, 8] });
        first = map.getZoom();
      } else {
        map.setView([0, 0], 12);
        first = 12;
      }
    }
    var ready = load(first, true);
    if (opts.detail) {
      map.on("zoomend", function () {
        if (state.zoom !== null && map.getZoom() >= state.zoom + 1) { load(map.getZoom(), false); }
      });
    }
    return ready;
  };

  nabolag.formatNumber = function (value) {
    if (value === null || value === undefined) { return ""; }
    var lang = document.documentElement.lang === "en" ? "en-GB" : "nb-NO";
    return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
  };
}());
