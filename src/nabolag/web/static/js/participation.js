/* Participation log: the htmx forms (add an event or input, answer an input, remove).
   - sends the session's CSRF token as the X-CSRF-Token header (the forms carry it as a field too,
     so a plain form post works without JavaScript);
   - swaps a 422 (bad input) or 409 (conflict) answer too: it is the log with the errors beside the fields;
   - after a swap, moves focus to the error summary or the status message, so keyboard and screen-reader
     users hear what happened;
   - other errors (403, 500, no network) are written into the status message;
   - a plain form with data-confirm asks before it is sent.
   No inline code or styles (CSP). */
(function () {
  "use strict";

  function token(elt) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) { return meta.content; }
    var form = elt && elt.closest ? elt.closest("form") : null;
    var field = form ? form.querySelector('input[name="csrf_token"]') : null;
    return field ? field.value : "";
  }

  function say(text) {
    var box = document.querySelector("#participation-log .status-message");
    if (!box) { return; }
    box.textContent = text;
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var t = token(evt.detail.elt);
    if (t) { evt.detail.headers["X-CSRF-Token"] = t; }
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422 || status === 409) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr, text = "";
    try { text = JSON.parse(xhr.responseText).error || ""; } catch (e) { text = ""; }
    if (!text) {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var alert = doc.querySelector('[role="alert"]');
      text = alert ? alert.textContent : "";
    }
    say(text || ("HTTP " + xhr.status));
  });

  document.addEventListener("htmx:sendError", function () {
    var el = document.querySelector("[data-network-error]");
    say(el ? el.dataset.networkError : "Network error");
  });

  // Plain forms that remove something ask first (htmx forms use hx-confirm).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      evt.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    var root = evt.detail.target || document;
    var log = document.getElementById("participation-log") || root;
    var target = log.querySelector(".error-summary[data-autofocus]") || log.querySelector("[data-autofocus]");
    if (target) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  });
}());
