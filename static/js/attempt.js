/* Autosave for an attempt form: every 30 s (and when the page is hidden) the answers are sent
   to the autosave URL; a status line says "saved" or "not saved — connection lost". A lost
   connection and a server that answers "briefly unavailable" (503, or any 5xx) are the same to
   the learner: the answers stay on the page and are sent again, sooner at first, then less
   often (5 s doubling to 60 s, or the server's Retry-After), until one save is acknowledged.
   Without this script the form still works: every button saves. */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("attempt-form");
  var status = document.getElementById("save-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  var text = script ? script.dataset : {};
  var sequence = form.elements.sequence;
  var dirty = false;
  var busy = false;
  var leaving = false; // once a button submits the form, autosave must not race it
  var retryDelay = 0; // ms until the next try after a failed save; 0 while saves succeed
  var retryTimer = null;
  var FIRST_RETRY = 5000;
  var MAX_RETRY = 60000;

  function setStatus(message, ok) {
    status.textContent = message;
    status.className = "save-status " + (ok ? "saved" : "not-saved");
  }

  function payload() {
    var data = new FormData(form);
    var plain = new URLSearchParams();
    data.forEach(function (value, key) {
      if (typeof value === "string") plain.append(key, value); // files go with the buttons
    });
    return plain;
  }

  function retryLater(message, retryAfterSeconds) {
    dirty = true; // nothing was saved: the answers on the page still need sending
    retryDelay = retryDelay ? Math.min(retryDelay * 2, MAX_RETRY) : FIRST_RETRY;
    if (retryAfterSeconds > 0) retryDelay = Math.min(retryAfterSeconds * 1000, MAX_RETRY);
    setStatus(message, false);
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; save(); }, retryDelay);
  }

  function save() {
    if (busy || !dirty || leaving) return;
    busy = true;
    dirty = false;
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    })
      .then(function (response) {
        if (response.status >= 500) {
          // Hunar briefly unavailable (503 + Retry-After) or a proxy's error page: not saved.
          var wait = parseInt(response.headers.get("Retry-After") || "", 10);
          retryLater(text.unavailable || text.offline || "Not saved yet.", wait);
          return;
        }
        return response.json().then(function (body) {
          if (body.saved) {
            retryDelay = 0;
            sequence.value = body.sequence;
            setStatus((text.saved || "Saved at") + " " + new Date().toLocaleTimeString(), true);
          } else {
            setStatus(body.closed ? text.closed : text.stale, false);
          }
        });
      })
      .catch(function () {
        retryLater(text.offline || "Not saved — connection lost.", 0);
      })
      .finally(function () { busy = false; });
  }

  window.addEventListener("online", save);
  form.addEventListener("submit", function () { leaving = true; });
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  setInterval(save, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });

  var deadline = document.getElementById("deadline");
  if (deadline && deadline.dataset.deadline) {
    var end = new Date(deadline.dataset.deadline).getTime();
    var clock = document.createElement("strong");
    clock.setAttribute("aria-live", "off");
    deadline.appendChild(document.createTextNode(" "));
    deadline.appendChild(clock);
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = (text.left || "Time left") + ": " + Math.floor(left / 60) + ":" +
        String(left % 60).padStart(2, "0");
    };
    tick();
    setInterval(tick, 1000);
  }
})();
