// The desk's one script of its own (htmx does the rest): a page whose form is marked data-unsaved asks before it
// is left while something typed there is not saved yet (the browser asks, in the browser's own words). A save
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
  window.addEventListener("beforeunload", function (e) {
    if (unsaved) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
