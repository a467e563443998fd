/* The public survey form (/s/{code}); the form works without this script as plain POSTs.
   - a submit disables the buttons (a double click sends once; the server is idempotent on the token anyway);
     the clicked button's action is kept in a hidden field, since a disabled button is not sent;
   - htmx swaps 422/409/410/413/429 answers too (it does not swap 4xx by default) and moves focus to the
     error summary or the new page's heading;
   - maps (Leaflet via window.nabolag.drawZones): a click sets the hidden lon/lat fields; on the home-zone map
     a click on a drawn zone selects that zone in the list; a click between zones asks
     /s/{code}/zone-at.json (the list is the keyboard alternative, and what is stored). No inline code or style (CSP). */
(function () {
  "use strict";
  var SWAP = [409, 410, 413, 422, 429];

  function onSubmit(evt) {
    var form = evt.target;
    if (!form.classList || !form.classList.contains("survey-form")) { return; }
    var btn = evt.submitter;
    if (form.dataset.sending === "1") { evt.preventDefault(); return; }
    if (btn && btn.name) {
      var keep = form.querySelector("input[type=hidden][data-submitter]") || document.createElement("input");
      keep.type = "hidden"; keep.name = btn.name; keep.value = btn.value; keep.setAttribute("data-submitter", "");
      form.appendChild(keep);
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  }

  function release(form) {
    if (!form) { return; }
    form.dataset.sending = "";
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    var keep = form.querySelector("input[data-submitter]");
    if (keep) { keep.remove(); }
  }

  function setStatus(id, text) {
    var el = id && document.getElementById(id);
    if (el) { el.textContent = text; }
  }

  /* The home zone whose outline received the click, as its <option> in the list, or null (a click on the
     background between zones). The outlines are drawn simplified to the screen (/geo/…?zoom=) and every
     path also takes clicks on its stroke (3 px while hovered): on a phone's map a pixel is about 100 m, so
     a click that lands on a zone as drawn can be a point just outside the zone's stored outline, which the
     server's point-in-polygon (zone-at.json) rightly calls outside every zone. The zone the resident sees
     under the finger is the one to choose; the server is asked only for clicks on no zone. */
  function clickedZone(e, select) {
    var target = e.originalEvent && e.originalEvent.target;
    var code = target && target.getAttribute && target.getAttribute("data-code");
    if (!code) { return null; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === code) { return select.options[i]; }
    }
    return null;
  }

  function initMap(el) {
    if (el.dataset.ready || !window.nabolag || !window.nabolag.drawZones || !window.L) { return; }
    el.dataset.ready = "1";
    var lonInput = document.getElementById(el.dataset.lon);
    var latInput = document.getElementById(el.dataset.lat);
    var select = el.dataset.select ? document.getElementById(el.dataset.select) : null;
    window.nabolag.drawZones(el, el.dataset.geo, { link: false, fit: true }).then(function (res) {
      var marker = null;
      function place(lat, lon) {
        if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], { radius: 7, className: "survey-marker", interactive: false }).addTo(res.map); }
      }
      if (lonInput && latInput && lonInput.value && latInput.value) { place(+latInput.value, +lonInput.value); }
      res.map.on("click", function (e) {
        var lon = e.latlng.lng.toFixed(6), lat = e.latlng.lat.toFixed(6);
        place(+lat, +lon);
        if (lonInput) { lonInput.value = lon; }
        if (latInput) { latInput.value = lat; }
        var drawn = select && clickedZone(e, select);
        if (drawn) {  /* a click on a drawn home zone chooses that zone, whatever its exact point */
          select.value = drawn.value;
          setStatus(el.dataset.status, drawn.textContent);
          return;
        }
        if (!select) {
          setStatus(el.dataset.status, (document.documentElement.lang === "en" ? "Point chosen: " : "Valgt punkt: ") + lat + ", " + lon);
          var zoneSelect = el.parentNode.querySelector("select");
          if (zoneSelect) { zoneSelect.value = ""; }
          return;
        }
        var url = el.dataset.zoneAt + "?lon=" + encodeURIComponent(lon) + "&lat=" + encodeURIComponent(lat);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (hit) {
            if (hit && hit.code) {
              select.value = hit.code;
              setStatus(el.dataset.status, hit.name);
            } else {
              select.value = "";
              setStatus(el.dataset.status, document.documentElement.lang === "en" ? "That point is outside the areas: choose from the list." : "Punktet er utenfor områdene: velg fra listen.");
            }
          });
      });
    });
  }

  function initMaps(root) {
    (root || document).querySelectorAll(".survey-map[data-geo]").forEach(initMap);
    document.querySelectorAll(".question.point select").forEach(function (s) {
      if (s.dataset.bound) { return; }
      s.dataset.bound = "1";
      s.addEventListener("change", function () {  /* a zone chosen from the list replaces a clicked point */
        var fs = s.closest(".question");
        fs.querySelectorAll("input[type=hidden]").forEach(function (i) { i.value = ""; });
      });
    });
  }

  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (SWAP.indexOf(evt.detail.xhr.status) >= 0) { evt.detail.shouldSwap = true; evt.detail.isError = false; }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form");
    if (form && document.body.contains(form)) { release(form); }
  });
  document.addEventListener("htmx:afterSwap", function () {
    var target = document.getElementById("survey-errors") || document.getElementById("survey-title");
    if (target) { target.focus(); }
    initMaps(document);
  });
  document.addEventListener("DOMContentLoaded", function () {
    initMaps(document);
    var errors = document.getElementById("survey-errors");
    if (errors) { errors.focus(); }
  });
  window.addEventListener("pageshow", function (evt) {  /* back button from the thank-you page */
    if (evt.persisted) { document.querySelectorAll("form.survey-form").forEach(release); }
  });
}());
