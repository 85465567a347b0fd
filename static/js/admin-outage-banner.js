/* Moves the outage banner (lms.admin_outages, rendered at the end of every admin page) to the
   top of the page, above Wagtail's own messages. Without this script it shows at the bottom. */
(function () {
  "use strict";
  var banner = document.querySelector("[data-hunar-outage]");
  var target = document.querySelector("#main .content") || document.querySelector("main");
  if (banner && target) {
    target.insertBefore(banner, target.firstChild);
  }
})();
