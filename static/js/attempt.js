/* Autosave for an attempt form: every 30 s (and when the page is hidden) the answers are sent
   to the autosave URL; a status line says "saved" or "not saved — connection lost". Without
   this script the form still works: every button saves. */
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
        return response.json().then(function (body) { return { response: response, body: body }; });
      })
      .then(function (result) {
        if (result.body.saved) {
          sequence.value = result.body.sequence;
          setStatus((text.saved || "Saved at") + " " + new Date().toLocaleTimeString(), true);
        } else {
          setStatus(result.body.closed ? text.closed : text.stale, false);
        }
      })
      .catch(function () {
        dirty = true; // try again next time
        setStatus(text.offline || "Not saved — connection lost.", false);
      })
      .finally(function () { busy = false; });
  }

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
