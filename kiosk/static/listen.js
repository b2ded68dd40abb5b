/* Speech in: "Parler", and a listening window of about 8 s after each spoken question.
   The microphone is on only while "Je vous écoute" shows, with its level. The audio goes to the
   kiosk's own server (kiosk/speech/listening.py) in 0.1 s chunks of 16 kHz PCM; the server answers which
   visible control to touch, and this file touches it: voice and touch share one path.
   Also speaks the inactivity warning. No inline script, no eval (strict CSP). */
(function () {
  "use strict";

  var body = document.body;
  var screen = document.getElementById("screen");
  var SEND_MS = 250;
  var MAX_MS = 15000;

  function csrfHeaders(type) {
    var headers = {};
    try { headers = JSON.parse(body.getAttribute("hx-headers") || "{}"); } catch (e) { /* none */ }
    headers["Content-Type"] = type;
    return headers;
  }

  function post(url, data, type) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", headers: csrfHeaders(type), body: data
    }).then(function (response) {
      if (!response.ok) { throw new Error("voice " + response.status); }
      return response.json();
    });
  }

  function bar() { return document.getElementById("voice"); }
  function part(id) { return document.getElementById(id); }

  /* Spoken prompts of the voice dialogue ("Pardon ?", the read-back, the timeout warning).
     Outside #screen, so a new screen does not cut the timeout warning short. */
  var prompt = document.createElement("audio");
  prompt.id = "voice-prompt";
  prompt.preload = "none";
  body.appendChild(prompt);
  function say(url, then) {
    prompt.onended = null;
    if (!url) { if (then) { then(); } return; }
    prompt.src = url;
    prompt.volume = Math.min(1, Number(body.dataset.volume) / Number(body.dataset.volumeMax));
    prompt.onended = then || null;
    var started = prompt.play();
    if (started && started.catch) {
      started.catch(function () { if (then) { then(); } });
    }
  }
  function silence() { prompt.onended = null; if (!prompt.paused) { prompt.pause(); } }

  function showMessage(text) {
    var message = part("voice-message");
    if (!message) { return; }
    message.textContent = text || "";
    message.hidden = !text;
  }

  /* The screen's answers: its visible buttons and links, in screen order (keys excepted). */
  function labelOf(element) {
    var words = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var text = walker.currentNode.nodeValue.trim();
      if (text) { words.push(text); }
    }
    return words.join(" ");
  }
  function choiceControls() {
    var main = screen && screen.querySelector("main");
    if (!main) { return []; }
    return Array.prototype.filter.call(main.querySelectorAll("button, a[href]"), function (el) {
      return !el.closest(".keys") && !el.disabled && el.getClientRects().length > 0 &&
        labelOf(el) !== "";
    });
  }
  function hasKeypad() { return Boolean(screen && screen.querySelector("main .keys")); }
  /* A screen that asks for a whole date said aloud (a date of birth) marks its field. */
  function dateField() { return screen && screen.querySelector("main [data-voice-date]"); }

  /* Per screen: how many answers were not understood, and whether to listen on its own. */
  var misses = 0;
  var autoListen = true;
  var pending = null; /* the control a read-back waits for */
  var controls = [];
  var typing = [];

  /* One listening at a time: the microphone, the recognizer id, the chunks not yet sent. */
  var current = null;

  function stopMicrophone(listening) {
    if (listening.stream) {
      listening.stream.getTracks().forEach(function (track) { track.stop(); });
    }
    if (listening.context) { listening.context.close().catch(function () { /* closed */ }); }
    if (listening.timer) { clearTimeout(listening.timer); }
    if (listening.sender) { clearInterval(listening.sender); }
    var shown = part("voice-listening");
    if (shown) { shown.hidden = true; }
    var heard = part("voice-heard");
    if (heard) { heard.textContent = ""; }
    var talk = document.querySelector("[data-voice='talk']");
    if (talk) { talk.hidden = false; }
  }

  function sendChunks(listening) {
    if (listening.busy || !listening.id || listening.chunks.length === 0) {
      return listening.busy || Promise.resolve();
    }
    var size = listening.chunks.reduce(function (sum, c) { return sum + c.length; }, 0);
    var joined = new Int16Array(size);
    var offset = 0;
    listening.chunks.forEach(function (c) { joined.set(c, offset); offset += c.length; });
    listening.chunks = [];
    listening.busy = post("/voice/listen/" + listening.id + "/audio", joined.buffer,
                          "application/octet-stream")
      .then(function (answer) {
        listening.busy = null;
        var heard = part("voice-heard");
        if (heard && current === listening) { heard.textContent = answer.partial || ""; }
        if (answer.partial) { listening.spoke = true; }
        if (answer.done) { finish(listening); }
      })
      .catch(function () { listening.busy = null; abort(); });
    return listening.busy;
  }

  /* Everything captured goes to the server before the answer is asked for. */
  function flush(listening) {
    if (listening.busy) { return listening.busy.then(function () { return flush(listening); }); }
    if (!listening.id || listening.chunks.length === 0) { return Promise.resolve(); }
    return sendChunks(listening).then(function () { return flush(listening); });
  }

  function finish(listening) {
    if (listening.finished) { return; }
    listening.finished = true;
    stopMicrophone(listening);
    if (current === listening) { current = null; }
    Promise.resolve(listening.opened).then(function () {
      return flush(listening);
    }).then(function () {
      if (!listening.id) { return null; }
      return post("/voice/listen/" + listening.id + "/end", "", "application/json");
    }).then(function (answer) {
      if (answer && !listening.cancelled) { act(answer, listening.mode); }
    }).catch(function () { /* touch still works */ });
  }

  /* A touch, a new screen or the timeout warning: the microphone goes off, nothing is done. */
  function abort() {
    var listening = current;
    if (!listening) { return; }
    listening.cancelled = true;
    listening.chunks = [];
    finish(listening);
  }

  function listen(mode) {
    var voice = bar();
    if (!voice || current || !navigator.mediaDevices) { return; }
    if (mode !== "confirm") { controls = choiceControls(); }
    var listening = {
      mode: mode, id: null, chunks: [], busy: null, spoke: false, started: Date.now()
    };
    current = listening;
    /* Each choice with what its button posts (name, value): the server finds its other
       words ("la tension") and, for a day, its date ("après-demain"); and the sex of the
       person it names, when the screen knows it ("monsieur Dupont"). */
    var request = {
      choices: mode === "confirm" ? [] : controls.map(function (el) {
        return { label: labelOf(el), confirm: el.hasAttribute("data-voice-confirm"),
                 name: el.name || "", value: el.tagName === "BUTTON" ? el.value : "",
                 sex: el.getAttribute("data-voice-sex") || "" };
      }),
      code: mode !== "confirm" && hasKeypad(),
      date: mode !== "confirm" && Boolean(dateField()),
      confirm: mode === "confirm",
      misses: misses
    };
    listening.opened = post("/voice/listen", JSON.stringify(request), "application/json")
      .then(function (answer) { listening.id = answer.id; })
      .catch(function () { listening.cancelled = true; finish(listening); });
    navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false,
               autoGainControl: false }
    }).then(function (stream) {
      listening.stream = stream;
      if (listening.finished) { stopMicrophone(listening); return null; }
      var context = new AudioContext({ sampleRate: 16000 });
      listening.context = context;
      return context.audioWorklet.addModule("/static/listen-worklet.js").then(function () {
        if (listening.finished) { return; }
        var source = context.createMediaStreamSource(stream);
        var node = new AudioWorkletNode(context, "kiosk-capture", { numberOfOutputs: 0 });
        node.port.onmessage = function (event) {
          if (listening.finished) { return; }
          listening.chunks.push(new Int16Array(event.data.pcm));
          var meter = part("voice-level");
          if (meter) { meter.value = Math.min(1, event.data.level * 4); }
        };
        source.connect(node);
        /* Shown the moment the microphone is on, hidden the moment it is off. */
        var shown = part("voice-listening");
        if (shown) { shown.hidden = false; }
        var talk = voice.querySelector("[data-voice='talk']");
        if (talk) { talk.hidden = true; }
        listening.sender = setInterval(function () { sendChunks(listening); }, SEND_MS);
        var windowMs = Number(voice.dataset.windowSeconds || 8) * 1000;
        var close = function () {
          /* Someone who started speaking gets to finish (up to the limit). */
          if (listening.spoke && Date.now() - listening.started < MAX_MS) {
            listening.timer = setTimeout(close, 500);
          } else {
            finish(listening);
          }
        };
        listening.timer = setTimeout(close, windowMs);
      });
    }).catch(function () {
      listening.cancelled = true;
      finish(listening);
    });
  }

  function confirmPanel(show) {
    var panel = part("voice-confirm");
    if (panel) { panel.hidden = !show; }
  }

  function control(target) {
    if (typeof target === "number") { return controls[target] || null; }
    if (target === "repeat") { return document.querySelector("[data-speech='replay']"); }
    return document.querySelector("[data-voice='" + target + "']");
  }

  function touch(element) {
    if (!element) { return; }
    showMessage("");
    element.click();
  }

  function typeNextKey() {
    var key = typing.shift();
    if (key === undefined) { return; }
    var button = Array.prototype.find.call(
      document.querySelectorAll("main .keys button"), function (b) { return b.value === key; });
    if (!button) { typing = []; return; }
    button.click();
  }

  function act(answer, mode) {
    switch (answer.do) {
      case "activate":
        touch(control(answer.target));
        break;
      case "confirm":
        pending = answer.target;
        showMessage(answer.text);
        confirmPanel(true);
        say(answer.speech, function () { listen("confirm"); });
        break;
      case "yes":
        confirmPanel(false);
        touch(control(pending));
        pending = null;
        break;
      case "no":
        confirmPanel(false);
        showMessage("");
        pending = null;
        break;
      case "refresh":
        /* The rate changed: the same screen comes back and speaks at the new rate. */
        window.htmx.ajax("GET", window.location.pathname + window.location.search,
                         { target: "#screen", swap: "innerHTML" });
        break;
      case "code":
        typing = answer.code.split("");
        typeNextKey();
        break;
      case "date": {
        /* "le trois mars cinquante": the field takes the date, and its form is sent. */
        var field = dateField();
        if (field) {
          field.value = answer.date;
          if (field.form) { field.form.requestSubmit(); }
        }
        break;
      }
      case "retry":
        misses += 1;
        showMessage(answer.text);
        say(answer.speech, function () { listen(mode); });
        break;
      case "buttons":
        misses += 1;
        autoListen = false;
        showMessage(answer.text);
        say(answer.speech, null);
        break;
      default:
        break;
    }
  }

  /* "Parler", and touching Oui / Non of a read-back. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-voice]");
    if (!button || !bar() || !bar().contains(button)) { return; }
    var what = button.dataset.voice;
    if (what === "talk") {
      silence();
      listen(pending === null ? "screen" : "confirm");
    } else if (what === "yes" || what === "no") {
      abort();
      silence();
      act({ do: what }, "confirm");
    }
  });

  /* Any other touch turns the microphone off and stops a prompt (the touch wins). */
  document.addEventListener("pointerdown", function (event) {
    var voice = bar();
    if (voice && voice.contains(event.target)) { return; }
    abort();
    silence();
  }, true);

  /* After the screen's question is spoken, listen for the answer (about 8 s). */
  document.addEventListener("ended", function (event) {
    if (event.target && event.target.id === "speech" && autoListen && bar() &&
        (choiceControls().length > 0 || hasKeypad())) {
      listen("screen");
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("[data-poll]")) { return; }
    abort();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail || event.detail.target !== screen) { return; }
    misses = 0;
    pending = null;
    if (typing.length > 0) {
      /* A code said aloud is typed key by key, each key its own request. */
      autoListen = false;
      typeNextKey();
    } else {
      autoListen = true;
    }
  });

  /* The inactivity warning is spoken too (ACCESSIBILITY.md item 11). */
  document.addEventListener("kiosk:timeout-warning", function () {
    abort();
    say(body.dataset.timeoutSpeech || "", null);
  });
})();
