/* Runs the Wagtail admin's widget initialisers without inline scripts, so the admin works under a
   Content-Security-Policy with no 'unsafe-inline' for scripts (docs/decisions/0011).

   Wagtail renders `<script>new ImageChooser("id_logo", {...});</script>` after a chooser, a date
   field or an inline panel. Hunar renders a marker instead (lms.admin_csp, templates/wagtailadmin/):
   `<span hidden data-csp-init="ImageChooser" data-csp-new data-csp-args='["id_logo", {...}]'>`.
   This script calls the same initialiser for every marker, in document order, when it appears:
   while the page is parsed, and when Wagtail inserts HTML later (a modal, a new inline form).
   Only the initialisers listed here can be called; each marker is used once and removed.
   A button with data-print prints the page (it used to be an inline onclick). */
(function () {
  "use strict";
  var ALLOWED = [
    "Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser",
    "createTaskChooser", "initDateChooser", "initTimeChooser", "initDateTimeChooser",
    "InlinePanel", "MultipleChooserPanel"
  ];

  function run(marker) {
    // A marker can be reached twice (its own mutation record and its parent's); the first run
    // removes it, and one no longer in the document never runs.
    if (!marker.isConnected) return;
    var name = marker.getAttribute("data-csp-init");
    marker.remove();
    var callee = ALLOWED.indexOf(name) >= 0 ? window[name] : undefined;
    if (typeof callee !== "function") {
      console.error("admin-csp-init: no initialiser " + name);
      return;
    }
    var args = JSON.parse(marker.getAttribute("data-csp-args") || "[]");
    if (marker.hasAttribute("data-csp-new")) {
      new (Function.prototype.bind.apply(callee, [null].concat(args)))();
    } else {
      callee.apply(window, args);
    }
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.matches("[data-csp-init]")) run(root);
    else root.querySelectorAll("[data-csp-init]").forEach(run);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(scan);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { scan(document.body); });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
