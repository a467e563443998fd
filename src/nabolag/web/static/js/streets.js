/* Streets as the offline basemap: the walking network's streets from /geo/streets.geojson (the server
   simplifies them for the zoom and cuts them to a box of whole tiles), drawn in their own pane under the
   zones when no tile service is set.
   window.nabolag.drawStreets(map, url) -> Promise; fetches again when the view leaves the box it has or
   the zoom changes. The map element gets class "with-streets" and data-streets = lines drawn (0 below the
   server's min_zoom or when the view holds too many streets: the server says too_many; zoom in). Not interactive: a tap goes to the map (the children draw on it). No inline code or
   styles (CSP): the pane's place and the lines' colour are in mapping.css. */
(function () {
  "use strict";
  var nabolag = window.nabolag = window.nabolag || {};

  function width(zoom) { return zoom >= 17 ? 3 : zoom >= 15 ? 2 : 1; }

  function boxText(bounds) {
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(function (v) {
      return v.toFixed(5);
    }).join(",");
  }

  nabolag.drawStreets = function (map, url) {
    var el = map.getContainer();
    if (!map.getPane("streets")) { map.createPane("streets"); }
    var state = { seq: 0, layer: null, zoom: null, box: null, attribution: "" };

    function covered(zoom) {
      return state.layer && state.zoom === zoom && state.box && state.box.contains(map.getBounds());
    }

    function load() {
      var zoom = Math.round(map.getZoom());
      if (covered(zoom)) { return Promise.resolve(state.layer); }
      var seq = ++state.seq;
      var u = new URL(url, window.location.href);
      u.searchParams.set("zoom", String(zoom));
      u.searchParams.set("bbox", boxText(map.getBounds().pad(0.25)));
      return fetch(u.pathname + u.search, { headers: { Accept: "application/geo+json" } }).then(function (r) {
        if (!r.ok) { throw new Error(u.pathname + ": " + r.status); }
        return r.json();
      }).then(function (data) {
        if (seq !== state.seq) { return state.layer; }
        if (state.layer) { map.removeLayer(state.layer); }
        state.layer = L.geoJSON(data, {
          pane: "streets", interactive: false,
          style: function () { return { className: "street", weight: width(zoom) }; }
        }).addTo(map);
        state.zoom = zoom;
        var b = data.bbox;
        // below the minimum zoom nothing is drawn anywhere: wait for the next zoom, not the next move
        state.box = zoom < data.min_zoom ? L.latLngBounds([[-90, -180], [90, 180]])
          : b ? L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]) : null;
        if (data.attribution && data.attribution !== state.attribution && map.attributionControl) {
          var safe = document.createElement("span");  // the source is text typed at import: never markup
          safe.textContent = data.attribution;
          map.attributionControl.addAttribution(safe.innerHTML);
          state.attribution = data.attribution;
        }
        el.classList.add("with-streets");
        el.setAttribute("data-streets", String(data.lines || 0));
        el.dispatchEvent(new CustomEvent("nabolag:streets", { detail: { lines: data.lines || 0 } }));
        return state.layer;
      }).catch(function (e) { el.setAttribute("data-streets-error", String(e)); });
    }

    var timer = null;
    map.on("zoomend moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 150);
    });
    return new Promise(function (resolve) { map.whenReady(function () { resolve(load()); }); });  // once it has a view
  };
}());
