/* Campaign pages: the class's map for staff and teachers (routes coloured by mode, places by category, from
   the page's JSON twin) and the public aggregated map (hexagons of one layer at a time, shaded by the number
   of distinct children). The tables on the pages hold the same figures in words; the maps are aria-hidden.
   Tooltips are text nodes (a child's comment is never HTML). Without a tile service the streets are drawn
   data (streets.js) under the zones when the map element has data-streets-url. No inline code or styles
   (CSP). */
(function () {
  "use strict";

  function text(s) { var span = document.createElement("span"); span.textContent = s; return span; }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function streets(el, map) {
    if (el.dataset.streetsUrl && window.nabolag.drawStreets) { window.nabolag.drawStreets(map, el.dataset.streetsUrl); }
  }

  function label(list, code) {
    var hit = (list || []).filter(function (x) { return x.code === code; })[0];
    return hit ? hit.label : (code || "");
  }

  function campaignMap(el) {
    getJson(el.dataset.json).then(function (data) {
      return window.nabolag.drawZones(el, el.dataset.zonesUrl, { link: false, fit: true }).then(function (drawn) {
        var counts = data.counts;
        var layer = L.geoJSON(data.contributions, {
          style: function (f) {
            var p = f.properties;  // applies to the places' circle markers too: their class by category
            return { className: p.kind === "place" ? "contrib place cat-" + p.category : "contrib route mode-" + p.mode,
              weight: p.kind === "place" ? 2 : 4 };
          },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 8, className: "contrib place cat-" + f.properties.category });
          },
          onEachFeature: function (f, l) {
            var p = f.properties;
            var what = p.kind === "route" ? label(counts.modes, p.mode) + ", " + label(counts.purposes, p.purpose)
              : label(counts.categories, p.category);
            l.bindTooltip(function () { return text(what + (p.comment ? ": " + p.comment : "")); }, { sticky: true });
          }
        }).addTo(drawn.map);
        layer.eachLayer(function (l) {
          var e = l.getElement && l.getElement();
          if (e) { e.setAttribute("data-kind", l.feature.properties.kind); e.setAttribute("data-id", String(l.feature.id)); }
        });
        if (layer.getBounds().isValid()) { drawn.map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 }); }
        streets(el, drawn.map);
        el.setAttribute("data-contributions", String(data.contributions.features.length));
      });
    }).catch(function (e) { el.setAttribute("data-error", String(e)); });
  }

  function publicMap(el) {
    var chooser = document.querySelector("[data-choose-layer]");
    getJson(el.dataset.json).then(function (data) {
      return window.nabolag.drawZones(el, el.dataset.zonesUrl, { link: false, fit: false }).then(function (drawn) {
        var current = null;
        var all = L.featureGroup();
        data.layers.forEach(function (x) { all.addLayer(L.geoJSON(x.hexagons)); });
        if (all.getBounds().isValid()) { drawn.map.fitBounds(all.getBounds(), { padding: [20, 20], maxZoom: 15 }); }
        else if (drawn.layer.getBounds().isValid()) { drawn.map.fitBounds(drawn.layer.getBounds()); }
        if (all.getBounds().isValid() || drawn.layer.getBounds().isValid()) { streets(el, drawn.map); }
        function show(name) {
          var x = data.layers.filter(function (l) { return l.layer === name; })[0];
          if (current) { drawn.map.removeLayer(current); }
          if (!x) { return; }
          current = L.geoJSON(x.hexagons, {
            style: function (f) {
              var step = x.max ? Math.max(1, Math.ceil(5 * f.properties.contributors / x.max)) : 1;
              return { className: "hex h" + step, weight: 1 };
            },
            onEachFeature: function (f, l) {
              l.bindTooltip(function () { return text(x.label + ": " + f.properties.contributors); }, { sticky: true });
            }
          }).addTo(drawn.map);
          el.setAttribute("data-layer", name);
          el.setAttribute("data-hexagons", String(x.hexagons.features.length));
        }
        show(data.layers.length ? data.layers[0].layer : "");
        if (chooser) {
          chooser.addEventListener("change", function (e) { if (e.target.name === "layer") { show(e.target.value); } });
        }
      });
    }).catch(function (e) { el.setAttribute("data-error", String(e)); });
  }

  function start() {
    document.querySelectorAll("[data-campaign-map]").forEach(campaignMap);
    document.querySelectorAll("[data-public-map]").forEach(publicMap);
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) { if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); } });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
