/* Edit forms of the programme pages with htmx: a 422 answer carries the form (or the measure's card) with
   the errors beside the fields, so it is swapped in like a success; focus then moves to the error summary
   so screen-reader and keyboard users hear what went wrong. Without JavaScript the forms post as usual.
   No inline code or styles (CSP). */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 422) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    var root = target && target.isConnected ? target : document;
    var summary = root.querySelector ? root.querySelector(".error-summary") : null;
    if (!summary) { summary = document.querySelector(".error-summary"); }
    if (summary) { summary.focus(); }
  });
}());
