// The desk's one script of its own (htmx does the rest). A page whose form is marked data-unsaved asks before it
// is left while something typed there is not saved yet (the browser asks, in the browser's own words); a save
// (a button marked data-saves) that the desk took (204, before it moves to the saved page) clears it.
(function () {
  "use strict";
  let unsaved = false;
  document.addEventListener("input", function (e) {
    if (e.target instanceof Element && e.target.closest("form[data-unsaved]")) unsaved = true;
  });
  document.addEventListener("htmx:beforeOnLoad", function (e) {
    const elt = e.detail.elt;
    if (elt instanceof Element && elt.matches("[data-saves]") && e.detail.xhr.status === 204) unsaved = false;
  });
  // A page open across a new login (in another tab) takes up the session's new CSRF token from the refusal
  // of its first request, so that doing it again works and nothing typed is lost to a reload.
  document.addEventListener("htmx:afterRequest", function (e) {
    const token = e.detail.xhr && e.detail.xhr.getResponseHeader("X-CSRF-Renewed");
    if (!token) return;
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["X-CSRF-Token"] = token;
    document.body.setAttribute("hx-headers", JSON.stringify(headers));
    document.querySelectorAll('input[name="csrf"]').forEach(function (input) { input.value = token; });
  });
  window.addEventListener("beforeunload", function (e) {
    if (unsaved) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
