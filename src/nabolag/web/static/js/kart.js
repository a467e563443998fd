/* The children's map (/kart/{code}): draw a route (tap the map for each point) or mark a place (tap once),
   choose what it is, and send it. Each route or place gets a random token when it is finished and keeps it
   on every retry, so the server stores it once. Without a connection it waits in localStorage and is sent
   when the browser is online again. The keyboard way: move the map with the arrow keys (Leaflet) so the
   cross in the middle is where you want, and use «Legg til punkt midt i kartet».
   Without a tile service the map's streets are drawn data (streets.js) under the zones, when the twin
   names them (data.map.streets: a walking network is loaded).
   Texts come from the page's JSON twin (bokmål, nynorsk, English). No inline code or styles (CSP). */
(function () {
  "use strict";

  var root = document.querySelector("[data-kart]");
  if (!root || !window.L || !window.nabolag) { return; }
  var mapEl = root.querySelector("[data-kart-map]");
  var help = root.querySelector("[data-help]");
  var draw = root.querySelector("[data-draw]");
  var form = root.querySelector("[data-details]");
  var errorBox = form.querySelector("[data-error]");
  var statusEl = root.querySelector("[data-status]");
  var sentList = root.querySelector("[data-sent]");
  var code = root.dataset.code;
  var lang = root.dataset.lang || "nb";
  var queueKey = "nabolag.kart.queue." + code;
  var sentKey = "nabolag.kart.sent." + code;
  var T = {};
  var labels = {};
  var state = { kind: null, points: [], shape: null, map: null, sentLayer: null };

  function randomId(bytes) {
    var a = new Uint8Array(bytes);
    window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function participant() {
    var key = "nabolag.kart.participant";
    var id = null;
    try { id = window.sessionStorage.getItem(key); } catch (e) { id = null; }
    if (!id) {
      id = randomId(12);
      try { window.sessionStorage.setItem(key, id); } catch (e) { /* private mode: a new id each page */ }
    }
    return id;
  }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }

  function save(key, list) {
    try { window.localStorage.setItem(key, JSON.stringify(list)); } catch (e) { /* full or private: keep in memory */ }
  }

  function say(text) { statusEl.textContent = text; }

  function showHelp(text, alert) {
    help.textContent = text;
    help.classList.toggle("kart-error", !!alert);
    if (alert) { help.setAttribute("role", "alert"); } else { help.removeAttribute("role"); }
  }

  function tools(on) {
    root.querySelectorAll("[data-action=route], [data-action=place]").forEach(function (b) {
      if (root.dataset.accepting === "true") { b.disabled = !on; }
    });
  }

  function clearShape() {
    if (state.shape) { state.map.removeLayer(state.shape); }
    state.shape = null;
  }

  function redraw() {
    clearShape();
    if (state.kind === "route" && state.points.length) {
      state.shape = state.points.length === 1
        ? L.circleMarker(state.points[0], { radius: 7, className: "kart-drawing vertex" })
        : L.polyline(state.points, { className: "kart-drawing", weight: 6 });
      state.shape.addTo(state.map);
      mapEl.setAttribute("data-points", String(state.points.length));
      showHelp(T["route.help"] + " (" + state.points.length + " " + T.points + ")");
    } else if (state.kind === "place" && state.points.length) {
      state.shape = L.circleMarker(state.points[0], { radius: 10, className: "kart-drawing place" }).addTo(state.map);
      mapEl.setAttribute("data-points", "1");
    } else {
      mapEl.setAttribute("data-points", "0");
    }
  }

  function begin(kind) {
    state.kind = kind;
    state.points = [];
    redraw();
    form.hidden = true;
    draw.hidden = false;
    draw.querySelectorAll("[data-route-only]").forEach(function (b) { b.hidden = kind !== "route"; });
    mapEl.classList.add("drawing");
    tools(false);
    showHelp(kind === "route" ? T["route.help"] : T["place.help"]);
    mapEl.focus();
  }

  function reset() {
    state.kind = null;
    state.points = [];
    clearShape();
    draw.hidden = true;
    form.hidden = true;
    errorBox.hidden = true;
    mapEl.classList.remove("drawing");
    mapEl.setAttribute("data-points", "0");
    form.querySelectorAll("input[name=purpose], input[name=mode], input[name=category]").forEach(function (i) {
      i.checked = false;
    });
    form.querySelector("textarea[name=comment]").value = "";
    form.querySelectorAll("[data-error-for]").forEach(function (p) { p.hidden = true; });
    tools(true);
    showHelp("");
  }

  function addPoint(latlng) {
    if (!state.kind) { return; }
    if (state.kind === "place") { state.points = [latlng]; } else { state.points.push(latlng); }
    redraw();
  }

  function finish() {
    if (state.kind === "route" && state.points.length < 2) { showHelp(T.need_two, true); return; }
    if (state.kind === "place" && state.points.length < 1) { showHelp(T.need_place, true); return; }
    draw.hidden = true;
    form.hidden = false;
    form.querySelector("[data-route-fields]").hidden = state.kind !== "route";
    form.querySelector("[data-place-fields]").hidden = state.kind !== "place";
    showHelp("");
    var first = form.querySelector(state.kind === "route" ? "input[name=purpose]" : "input[name=category]");
    if (first) { first.focus(); }
  }

  function picked(name) {
    var el = form.querySelector("input[name=" + name + "]:checked");
    return el ? el.value : "";
  }

  function geometry() {
    var xy = state.points.map(function (p) { return [Math.round(p.lng * 1e6) / 1e6, Math.round(p.lat * 1e6) / 1e6]; });
    return state.kind === "route" ? { type: "LineString", coordinates: xy } : { type: "Point", coordinates: xy[0] };
  }

  function contribution() {
    var c = { kind: state.kind, geometry: geometry(), language: lang, participant: participant(),
      comment: form.querySelector("textarea[name=comment]").value };
    if (state.kind === "route") { c.purpose = picked("purpose"); c.mode = picked("mode"); } else { c.category = picked("category"); }
    var grade = form.querySelector("select[name=grade]").value;
    if (grade) { c.grade = Number(grade); }
    var gender = picked("gender");
    if (gender) { c.gender = gender; }
    return c;
  }

  function missing() {
    var names = state.kind === "route" ? ["purpose", "mode"] : ["category"];
    var bad = [];
    names.forEach(function (n) {
      var p = form.querySelector("[data-error-for=" + n + "]");
      var none = !picked(n);
      p.hidden = !none;
      p.textContent = none ? T.choose : "";
      if (none) { bad.push(n); }
    });
    if (bad.length) { form.querySelector("input[name=" + bad[0] + "]").focus(); }
    return bad.length > 0;
  }

  function showErrors(data) {
    var problems = (data && data.problems) || [];
    errorBox.textContent = "";
    var head = document.createElement("strong");
    head.textContent = T.not_saved + " ";
    errorBox.appendChild(head);
    var list = problems.length ? problems.map(function (p) { return p.message; }) : [(data && data.error) || "?"];
    errorBox.appendChild(document.createTextNode(list.join("; ")));
    errorBox.hidden = false;
    errorBox.focus();
  }

  function describe(item) {
    var c = item.contribution;
    return c.kind === "route" ? T.route + ": " + (labels["mode." + c.mode] || c.mode) + ", " + (labels["purpose." + c.purpose] || c.purpose)
      : T.place + ": " + (labels["category." + c.category] || c.category);
  }

  function drawSent(item) {
    var c = item.contribution;
    var latlngs = c.geometry.type === "Point" ? [c.geometry.coordinates[1], c.geometry.coordinates[0]]
      : c.geometry.coordinates.map(function (p) { return [p[1], p[0]]; });
    var layer = c.kind === "route"
      ? L.polyline(latlngs, { className: "contrib route mode-" + c.mode, weight: 5 })
      : L.circleMarker(latlngs, { radius: 9, className: "contrib place cat-" + c.category });
    layer.addTo(state.sentLayer);
    var el = layer.getElement && layer.getElement();
    if (el) { el.setAttribute("data-kind", c.kind); el.setAttribute("data-sent", item.token); }
  }

  function listSent(item) {
    var li = document.createElement("li");
    li.textContent = describe(item);
    li.setAttribute("data-token", item.token);
    sentList.appendChild(li);
  }

  function waiting() {
    var n = load(queueKey).length;
    root.setAttribute("data-waiting", String(n));
    return n;
  }

  function post(item) {
    return fetch(root.dataset.send, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ token: item.token, contribution: item.contribution, website: item.website || "" })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function stored(item) {
    var sent = load(sentKey);
    if (!sent.some(function (s) { return s.token === item.token; })) {
      sent.push(item);
      save(sentKey, sent);
      drawSent(item);
      listSent(item);
    }
  }

  function dequeue(token) {
    save(queueKey, load(queueKey).filter(function (q) { return q.token !== token; }));
    waiting();
  }

  function flush() {
    var queue = load(queueKey);
    if (!queue.length) { return Promise.resolve(); }
    var item = queue[0];
    return post(item).then(function (res) {
      if (res.status === 200 || res.status === 201) {
        dequeue(item.token);
        stored(item);
        say(T.thanks);
        return flush();
      }
      if (res.status === 429 || res.status >= 500) { say(waiting() + " " + T.waiting); return null; }
      dequeue(item.token);  // refused for good (422, 409, 404): it can never be stored as it is
      say(T.not_saved + " " + describe(item) + ": " + ((res.data.problems || []).map(function (p) { return p.message; }).join("; ") || res.data.error || res.status));
      return flush();
    }, function () { say(T.offline + " (" + waiting() + " " + T.waiting + ")"); });
  }

  function send(ev) {
    ev.preventDefault();
    if (missing()) { return; }
    var item = state.pending || { token: randomId(16), contribution: contribution() };
    item.contribution = contribution();
    item.website = form.querySelector("input[name=website]").value;
    state.pending = item;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    errorBox.hidden = true;
    say(T.sending);
    post(item).then(function (res) {
      button.disabled = false;
      if (res.status === 200 || res.status === 201) {
        state.pending = null;
        stored(item);
        reset();
        say(T.thanks);
        return;
      }
      if (res.status === 429 || res.status >= 500) {
        save(queueKey, load(queueKey).concat([item]));
        state.pending = null;
        reset();
        say(waiting() + " " + T.waiting);
        return;
      }
      if (res.status !== 409) { state.pending = null; }  // a changed drawing is a new contribution
      say("");
      showErrors(res.data);
    }, function () {
      button.disabled = false;
      save(queueKey, load(queueKey).concat([item]));
      state.pending = null;
      reset();
      say(T.offline + " (" + waiting() + " " + T.waiting + ")");
    });
  }

  function start(data) {
    T = data.texts;
    labels = data.texts;
    var opts = { link: false, tooltip: function (p) { return p.name; } };
    var bbox = data.map.bbox;
    if (bbox) { opts.bbox = bbox; opts.fit = false; }
    window.nabolag.drawZones(mapEl, data.map.zones, opts).then(function (drawn) {
      state.map = drawn.map;
      mapEl.setAttribute("tabindex", "0");
      state.sentLayer = L.layerGroup().addTo(state.map);
      if (data.school_point) {
        var c = data.school_point.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 9, className: "school", interactive: false }).addTo(state.map)
          .bindTooltip(function () { var s = document.createElement("span"); s.textContent = T.school; return s; },
            { permanent: true, direction: "right" });
      }
      if (data.map.streets && window.nabolag.drawStreets) { window.nabolag.drawStreets(state.map, data.map.streets); }
      state.map.on("click", function (e) { addPoint(e.latlng); });
      load(sentKey).forEach(function (item) { drawSent(item); listSent(item); });
      mapEl.setAttribute("data-ready", "1");
      if (waiting()) { flush(); }
    });
  }

  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-action]");
    if (!b) { return; }
    var action = b.dataset.action;
    if (action === "route" || action === "place") { begin(action); }
    else if (action === "center" && state.map) { addPoint(state.map.getCenter()); }
    else if (action === "undo") { state.points.pop(); redraw(); }
    else if (action === "done") { finish(); }
    else if (action === "cancel") { state.pending = null; reset(); }
  });
  form.addEventListener("submit", send);
  form.querySelectorAll("input[type=radio]").forEach(function (i) {
    i.addEventListener("change", function () {
      var p = form.querySelector("[data-error-for=" + i.name + "]");
      if (p) { p.hidden = true; }
    });
  });
  window.addEventListener("online", flush);

  fetch(root.dataset.json, { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
    .then(start)
    .catch(function () { say(T.offline || ""); });
}());
