/* City overview: the choropleth map (values and classes come with the GeoJSON) and the ranking
   table's sort buttons. The server-rendered table and legend hold the same numbers, so the page
   works without this script. Texts come from data-* attributes (translated on the server). */
(function () {
  "use strict";

  function tooltip(el) {
    var unit = el.dataset.unit || "";
    var hidden = el.dataset.labelSuppressed || "skjult (få personer)";
    var none = el.dataset.labelMissing || "ingen tall";
    return function (p) {
      var text;
      if (p.suppressed) { text = hidden; }
      else if (p.value === null || p.value === undefined) { text = none; }
      else { text = window.nabolag.formatNumber(p.value) + (unit ? " " + unit : ""); }
      return p.name + ": " + text;
    };
  }

  function drawMap() {
    var el = document.getElementById("overview-map");
    if (!el || !window.nabolag || !window.L) { return; }
    window.nabolag.drawZones(el, el.dataset.geojson, {
      choropleth: true, link: true, fit: true, detail: true, tooltip: tooltip(el)
    });
  }

  function sortKey(cell, numeric) {
    var v = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (!numeric) { return v.toLocaleLowerCase(); }
    return v === "" ? null : Number(v);
  }

  function sortTable(table, col, button) {
    var numeric = button.dataset.type === "number";
    var th = button.closest("th");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a.cells[col], numeric), y = sortKey(b.cells[col], numeric);
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }  /* rows without a figure stay last */
      if (y === null) { return -1; }
      var c = numeric ? x - y : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (th) {
      th.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function sortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      if (!th.dataset.type) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.dataset.type = th.dataset.type;
      button.textContent = th.textContent;
      button.title = table.dataset.labelSort || "Sorter";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, col, button); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawMap();
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
  });
}());
