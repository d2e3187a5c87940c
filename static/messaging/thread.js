// A conversation page: keep the newest message in view, keep the place when older ones
// load above, and send with Ctrl+Enter. The page works without this file.
(function () {
  "use strict";
  function list() { return document.getElementById("message-list"); }
  function nearBottom(box) { return box.scrollHeight - box.scrollTop - box.clientHeight < 120; }

  document.addEventListener("DOMContentLoaded", function () {
    var box = list();
    if (!box) { return; }
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && box.contains(target)) {
      box.scrollTop = target.offsetTop - box.offsetTop - 16;
    } else {
      box.scrollTop = box.scrollHeight;
    }
  });

  var stick = false;
  var heightBefore = 0;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = list();
    if (!box || !box.contains(event.detail.target)) { return; }
    stick = nearBottom(box);
    heightBefore = box.scrollHeight;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var box = list();
    if (!box) { return; }
    var id = event.detail.elt && event.detail.elt.id;
    if (id === "load-older" || (event.detail.requestConfig && /\/older\//.test(event.detail.requestConfig.path))) {
      box.scrollTop += box.scrollHeight - heightBefore;  // stay on the message being read
    } else if (stick) {
      box.scrollTop = box.scrollHeight;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "id_body") {
      event.preventDefault();
      var form = event.target.form;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
