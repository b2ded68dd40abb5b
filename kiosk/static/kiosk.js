/* Kiosk behaviour that needs the browser: focus after a swap, the busy state, and the
   inactivity warning. No inline script anywhere (strict CSP); every control also works as a
   plain link or form when this file does not run. */
(function () {
  "use strict";

  var body = document.body;
  var screen = document.getElementById("screen");

  /* A visit that holds nothing yet starts clean: the kiosk keeps nothing in web storage, and
     Chromium's Clear-Site-Data "storage" leaves sessionStorage behind (SECURITY.md item 4). */
  if (body.dataset.engaged !== "true") {
    try { window.localStorage.clear(); window.sessionStorage.clear(); } catch (e) { /* none */ }
  }

  function csrfHeaders() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}");
    } catch (e) {
      return {};
    }
  }

  /* After each swap: focus the new question and announce it (ACCESSIBILITY.md item 22). */
  function focusQuestion(announce) {
    var h1 = screen && screen.querySelector("h1");
    /* Looked up each time: an out-of-band swap replaces the status element. */
    var status = document.getElementById("status");
    if (!h1) { return; }
    h1.focus({ preventScroll: false });
    if (announce && status && !status.textContent.trim()) {
      status.textContent = h1.textContent.trim();
    }
  }

  /* Background checks (data-poll: is the card in?) are not the person's activity. */
  function isPoll(event) {
    return Boolean(event.detail && event.detail.elt && event.detail.elt.closest("[data-poll]"));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (screen && !isPoll(event)) { screen.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (isPoll(event)) { return; }
    if (screen) { screen.removeAttribute("aria-busy"); }
    idle.restart();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target === screen) {
      body.dataset.engaged = "true";
      focusQuestion(true);
      idle.restart();
    }
  });

  /* Inactivity: a visible warning with "Plus de temps"; without an answer, the visit is wiped
     (ACCESSIBILITY.md item 11). The server enforces the same deadline on its own. */
  var idle = (function () {
    var dialog = document.getElementById("timeout-warning");
    var countEl = document.getElementById("timeout-count");
    var extendBtn = document.getElementById("timeout-extend");
    var refused = document.getElementById("timeout-refused");
    var endForm = document.getElementById("timeout-end");
    var idleMs = Number(body.dataset.idleSeconds || 120) * 1000;
    var warnSeconds = Number(body.dataset.warningSeconds || 30);
    var idleTimer = null;
    var tickTimer = null;
    var remaining = warnSeconds;

    function armed() { return body.dataset.engaged === "true"; }

    function clear() {
      if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
      if (tickTimer) { clearInterval(tickTimer); tickTimer = null; }
    }

    function wipe() {
      clear();
      endForm.submit();
    }

    function tick() {
      remaining -= 1;
      countEl.textContent = String(Math.max(remaining, 0));
      if (remaining <= 0) { wipe(); }
    }

    function warn() {
      remaining = warnSeconds;
      countEl.textContent = String(remaining);
      if (!dialog.open) { dialog.showModal(); }
      extendBtn.focus();
      document.dispatchEvent(new CustomEvent("kiosk:timeout-warning", {
        detail: { text: dialog.textContent.replace(/\s+/g, " ").trim() }
      }));
      tickTimer = setInterval(tick, 1000);
    }

    function restart() {
      clear();
      if (dialog.open) { dialog.close(); }
      /* A screen that waits on purpose (a rest, a measurement) says for how long. */
      var busy = screen && screen.querySelector("[data-busy-seconds]");
      var extra = busy ? Number(busy.dataset.busySeconds) * 1000 : 0;
      if (armed()) { idleTimer = setTimeout(warn, idleMs + extra); }
    }

    extendBtn.addEventListener("click", function () {
      var headers = csrfHeaders();
      headers["HX-Request"] = "true";
      fetch(endForm.action.replace(/end$/, "extend"), {
        method: "POST", headers: headers, credentials: "same-origin"
      }).then(function (response) {
        if (response.ok) {
          refused.hidden = true;
          restart();
        } else {
          refused.hidden = false;
          extendBtn.hidden = true;
        }
      });
    });
    /* Escape would close the modal without telling the server: treat it as "Plus de temps". */
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      extendBtn.click();
    });

    return { restart: restart };
  })();

  /* Speech: each screen says its own words on arrival (#speech, filled by the server).
     Any touch stops it; Réécouter plays it again; the volume follows the visit's setting. */
  var speech = {
    element: function () { return document.getElementById("speech"); },
    play: function () {
      var audio = speech.element();
      if (!audio || !audio.dataset.src) { return; }
      if (audio.getAttribute("src") !== audio.dataset.src) { audio.src = audio.dataset.src; }
      audio.volume = Math.min(1, Number(body.dataset.volume) / Number(body.dataset.volumeMax));
      audio.currentTime = 0;
      var started = audio.play();
      if (started && started.catch) { started.catch(function () { /* autoplay refused */ }); }
    },
    stop: function () {
      var audio = speech.element();
      if (audio && !audio.paused) { audio.pause(); }
    }
  };
  document.addEventListener("pointerdown", function (event) {
    var control = event.target.closest && event.target.closest("[data-speech]");
    if (!control) { speech.stop(); }
  }, true);
  document.addEventListener("keydown", function () { speech.stop(); }, true);
  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-speech]");
    if (!control) { return; }
    if (control.dataset.speech === "replay") { speech.play(); } else { speech.stop(); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target === screen) { speech.play(); }
  });

  /* Countdowns (the rest before a measurement): shown each second, spoken again each minute,
     and at zero the screen moves on as if "Commencer la mesure" was touched. */
  var countdown = null;
  function startCountdown() {
    if (countdown) { clearInterval(countdown); countdown = null; }
    var shown = screen && screen.querySelector("[data-countdown]");
    if (!shown) { return; }
    var left = Number(shown.dataset.seconds);
    var form = screen.querySelector("[data-countdown-form]");
    countdown = setInterval(function () {
      if (!document.body.contains(shown)) { clearInterval(countdown); countdown = null; return; }
      left -= 1;
      shown.textContent = Math.floor(Math.max(left, 0) / 60) + ":" +
        String(Math.max(left, 0) % 60).padStart(2, "0");
      if (left > 0 && left % 60 === 0) { speech.play(); }
      if (left <= 0) {
        clearInterval(countdown);
        countdown = null;
        if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
      }
    }, 1000);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target === screen) { startCountdown(); }
  });
  startCountdown();

  idle.restart();
  /* A full page load starts at the question too (it is already announced as the title). */
  focusQuestion(false);
  speech.play();
})();
