// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // htmx requests carry the CSRF token from <body data-hx-headers> (signed-in pages only).
  // Elements with data-confirm ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);
})();
// The catalog filters come folded in the HTML (the results first on a phone); from 992 px
// site.css shows them with ::details-content. A browser without it gets them opened here.
document.addEventListener("DOMContentLoaded", function () {
  if (window.CSS && CSS.supports("selector(::details-content)")) { return; }
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.filters-box:not([open])").forEach(function (box) { box.setAttribute("open", ""); });
  }
});
// The header search's suggestions close on Escape and when the focus leaves the search.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("header-suggest");
  var form = box && box.closest("form");
  if (!form) { return; }
  function close() { box.innerHTML = ""; }
  form.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { window.setTimeout(close, 150); }
  });
});
