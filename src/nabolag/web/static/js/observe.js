/* The observer's phone form (/observe/{site}): a session made on the phone (a random id), people counted
   slot by slot with one tap per person, and every finished slot queued in localStorage and sent when there is
   a connection. A slot carries its session's header, so the server creates the session with its first slot;
   a slot sent twice replaces itself (the server keys it by session and start), so nothing is counted twice.
   The status line says how many slots wait. The session and the open slot's tallies survive a reload.
   No inline code or styles (CSP). */
(function () {
  "use strict";

  var root = document.querySelector("[data-observe]");
  if (!root) { return; }
  var site = root.dataset.site;
  var queueKey = "nabolag.observe.queue";
  var stateKey = "nabolag.observe.state." + site;
  var setup = root.querySelector("[data-setup]");
  var counting = root.querySelector("[data-counting]");
  var statusEl = root.querySelector("[data-queue]");
  var tallyEl = root.querySelector("[data-tally]");
  var sending = false;
  var state = null;  // {session: {...}, slot: "HH:MM", tally: {key: {row}}}

  function load(key, fallback) {
    try { var v = window.localStorage.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full: kept in memory */ }
  }

  function uid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var a = new Uint8Array(16);
    window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function queue() { return load(queueKey, []); }

  function showQueue(extra) {
    var n = queue().length;
    statusEl.textContent = (n ? fill(root.dataset.textWaiting, { n: n }) : root.dataset.textNone) + (extra ? " " + extra : "");
    statusEl.classList.toggle("waiting", n > 0);
    root.setAttribute("data-waiting", String(n));
  }

  function addMinutes(hhmm, minutes) {
    var p = hhmm.split(":").map(Number);
    var t = (p[0] * 60 + p[1] + minutes) % (24 * 60);
    return ("0" + Math.floor(t / 60)).slice(-2) + ":" + ("0" + (t % 60)).slice(-2);
  }

  function value(name) {
    var el = counting.querySelector("input[name=" + name + "]:checked");
    return el ? el.value : "";
  }

  function movement() { return value("movement") || "moving"; }

  function showActivity() {
    var m = movement();
    counting.querySelectorAll("[data-field=activity]").forEach(function (f) { f.hidden = f.dataset.for !== m; });
  }

  function keyOf(row) { return [row.movement, row.age_band, row.gender, row.activity, row.group_size].join("|"); }

  function labelOf(row) {
    var parts = [];
    ["movement", "age_band", "gender", "activity", "group_size"].forEach(function (f) {
      if (!row[f]) { return; }
      var name = f === "activity" ? "activity_" + row.movement : f;
      var input = counting.querySelector("input[name=" + name + "][value='" + row[f] + "']");
      parts.push(input ? input.parentNode.textContent.trim() : row[f]);
    });
    return parts.join(", ");
  }

  function renderTally() {
    tallyEl.textContent = "";
    var rows = Object.keys(state.tally).map(function (k) { return state.tally[k]; });
    if (!rows.length) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = root.dataset.textEmpty;
      tallyEl.appendChild(li);
    }
    rows.forEach(function (row) {
      var li = document.createElement("li");
      var span = document.createElement("span");
      span.textContent = row.count + " × " + labelOf(row);
      var minus = document.createElement("button");
      minus.type = "button";
      minus.className = "secondary";
      minus.textContent = "−1";
      minus.setAttribute("aria-label", root.dataset.textRemove + ": " + labelOf(row));
      minus.addEventListener("click", function () {
        row.count -= 1;
        if (row.count <= 0) { delete state.tally[keyOf(row)]; }
        persist();
        renderTally();
      });
      li.appendChild(span);
      li.appendChild(minus);
      tallyEl.appendChild(li);
    });
    root.querySelector("[data-slot-time]").textContent = state.slot;
    var s = state.session;
    root.querySelector("[data-session-label]").textContent = fill(root.dataset.textSession,
      { date: s.date, start: s.start, m: s.slot_minutes });
  }

  function persist() { save(stateKey, state); }

  function begin() {
    var f = function (n) { return setup.querySelector("[name=" + n + "]").value; };
    var start = f("start").slice(0, 5);
    if (!f("date") || !/^\d\d:\d\d$/.test(start)) { setup.querySelector(f("date") ? "[name=start]" : "[name=date]").focus(); return; }
    state = { session: { uid: uid(), date: f("date"), start: start, slot_minutes: Number(f("slot_minutes")),
      weather: f("weather"), temperature_c: f("temperature_c"), observer: f("observer"), note: f("note") },
    slot: start, tally: {} };
    persist();
    showCounting();
  }

  function showCounting() {
    setup.hidden = true;
    counting.hidden = false;
    showActivity();
    renderTally();
    counting.querySelector("[data-action=add]").focus();
  }

  function add() {
    var m = movement();
    var row = { movement: m, age_band: value("age_band"), gender: value("gender"),
      activity: value("activity_" + m), group_size: value("group_size"), count: 0 };
    var k = keyOf(row);
    if (!state.tally[k]) { state.tally[k] = row; }
    state.tally[k].count += 1;
    persist();
    renderTally();
  }

  function saveSlot() {
    var counts = Object.keys(state.tally).map(function (k) { return state.tally[k]; });
    var item = { id: state.session.uid + "@" + state.slot, site: site, session: state.session, start: state.slot,
      counts: counts };
    var q = queue().filter(function (x) { return x.id !== item.id; });  // the same slot again replaces itself
    q.push(item);
    save(queueKey, q);
    state.slot = addMinutes(state.slot, state.session.slot_minutes);
    state.tally = {};
    persist();
    renderTally();
    showQueue();
    flush();
  }

  function end() {
    state = null;
    try { window.localStorage.removeItem(stateKey); } catch (e) { /* nothing kept */ }
    counting.hidden = true;
    setup.hidden = false;
    flush();
  }

  function drop(id) { save(queueKey, queue().filter(function (x) { return x.id !== id; })); }

  function flush() {
    if (sending) { return; }
    var q = queue();
    if (!q.length) { showQueue(); return; }
    sending = true;
    var item = q[0];
    fetch("/observe/" + encodeURIComponent(item.site || site) + "/slots.json", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": root.dataset.csrf },
      body: JSON.stringify({ session: item.session, start: item.start, counts: item.counts })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        sending = false;
        if (r.status === 201 || r.status === 200) { drop(item.id); showQueue(); flush(); return; }
        if (r.status === 401 || r.status === 403 || r.status === 429 || r.status >= 500) {
          showQueue(data.error || String(r.status));  // kept: sign in again or wait, then it is sent
          return;
        }
        drop(item.id);  // refused for good (422, 409): say why; it can never be stored as it is
        var reason = (data.problems || []).map(function (p) { return (p.field ? p.field + ": " : "") + p.message; }).join("; ");
        showQueue(fill(root.dataset.textRefused, { start: item.start, reason: reason || data.error || r.status }));
        flush();
      });
    }, function () {
      sending = false;
      showQueue(root.dataset.textOffline);
    });
  }

  if (counting) {
    counting.addEventListener("change", function (e) { if (e.target.name === "movement") { showActivity(); } });
  }
  root.addEventListener("click", function (e) {
    var b = e.target.closest("[data-action]");
    if (!b) { return; }
    var a = b.dataset.action;
    if (a === "start") { begin(); } else if (a === "add") { add(); } else if (a === "save-slot") { saveSlot(); }
    else if (a === "end") { end(); }
  });
  window.addEventListener("online", flush);
  state = load(stateKey, null);
  if (state && counting) { showCounting(); }
  root.setAttribute("data-ready", "1");
  showQueue();
  flush();
}());
