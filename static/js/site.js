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
// Recently viewed gigs: their ids live in this browser only (localStorage), never in a page,
// so every page stays the same for every visitor; the cards come from /recent/?ids=...
(function () {
  "use strict";
  var KEY = "recentGigs";
  var MAX = 12;
  function read() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (id) { return /^[0-9]{1,18}$/.test(String(id)); }) : [];
    } catch (error) { return []; }
  }
  function write(ids) {
    try { window.localStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX))); } catch (error) { /* private mode */ }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var viewed = document.querySelector("[data-recent-gig]");
    var ids = read();
    if (viewed) {
      var id = viewed.getAttribute("data-recent-gig");
      ids = [id].concat(ids.filter(function (other) { return String(other) !== id; }));
      write(ids);
    }
    var section = document.querySelector("[data-recent-src]");
    if (!section) { return; }
    var current = section.getAttribute("data-recent-except");
    var shown = ids.filter(function (other) { return String(other) !== current; });
    if (!shown.length) { return; }
    var url = section.getAttribute("data-recent-src") + "?ids=" + shown.slice(0, 8).join(",");
    window.fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html.trim()) { return; }
        section.querySelector(".recent-cards").innerHTML = html;
        section.hidden = false;
      });
    var clear = section.querySelector("[data-recent-clear]");
    if (clear) {
      clear.addEventListener("click", function () { write([]); section.hidden = true; });
    }
  });
})();
// "Copy" beside a read-only link (shown only where the clipboard can be written).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied-text");
      });
    });
  });
});
