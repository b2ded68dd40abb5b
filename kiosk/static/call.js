/* The video consultation, both sides (kiosk and doctor), and the kiosk's device check.

   Config comes from data attributes on [data-call] (no inline script: strict CSP):
     data-call      "check" (camera, microphone, test sound), "kiosk" or "doctor"
     data-signal-url, data-since, data-csrf   signalling through the kiosk's database
     data-ice       JSON list of RTCIceServer; data-provider "webrtc" or "jitsi"
   Signalling: the doctor sends "ring"; the kiosk (on its call screen) answers "ready"; the
   doctor then sends an "offer", the kiosk an "answer", both their ICE "candidate"s; "chat"
   carries text; "bye" ends the call. Each side polls "messages after id N" every second; the
   kiosk's answer also says "ended" once the appointment is marked done or no-show.
   Loaded once per page; the kiosk's screens are swapped by htmx, so it starts again after
   each swap and stops the camera when its screen goes. */
(function () {
  "use strict";

  var active = null;  /* the running check or call, to stop when its screen goes */

  function json(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  function stopStream(stream) {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
  }

  /* --- The device check: preview, microphone level, test sound. --- */
  function startCheck(root) {
    var video = root.querySelector("[data-local]");
    var meter = root.querySelector("[data-mic-level]");
    var problem = document.querySelector("[data-media-problem]");
    var soundButton = document.querySelector("[data-test-sound]");
    var stream = null, audio = null, frame = null, stopped = false;

    if (soundButton) {
      soundButton.addEventListener("click", function () {
        /* A short two-tone chime, made here: no sound file to fetch. */
        var ctx = new (window.AudioContext || window.webkitAudioContext)();
        [660, 880].forEach(function (hz, i) {
          var osc = ctx.createOscillator(), gain = ctx.createGain();
          osc.frequency.value = hz;
          gain.gain.value = 0.3;
          osc.connect(gain).connect(ctx.destination);
          osc.start(ctx.currentTime + i * 0.6);
          osc.stop(ctx.currentTime + i * 0.6 + 0.5);
        });
        setTimeout(function () { ctx.close(); }, 1800);
      });
    }

    navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (s) {
      if (stopped) { stopStream(s); return; }
      stream = s;
      video.srcObject = stream;
      audio = new (window.AudioContext || window.webkitAudioContext)();
      var analyser = audio.createAnalyser();
      analyser.fftSize = 512;
      audio.createMediaStreamSource(stream).connect(analyser);
      var data = new Uint8Array(analyser.fftSize);
      (function level() {
        analyser.getByteTimeDomainData(data);
        var peak = 0;
        for (var i = 0; i < data.length; i += 1) { peak = Math.max(peak, Math.abs(data[i] - 128)); }
        meter.value = Math.min(100, Math.round(peak / 128 * 200));
        frame = requestAnimationFrame(level);
      })();
      root.dataset.state = "ready";
    }).catch(function () {
      if (problem) { problem.hidden = false; }
      root.dataset.state = "failed";
    });

    return {
      stop: function () {
        stopped = true;
        if (frame) { cancelAnimationFrame(frame); }
        if (audio) { audio.close(); }
        stopStream(stream);
      }
    };
  }

  /* --- The call. --- */
  function startCall(root) {
    var role = root.dataset.call;  /* "kiosk" or "doctor" */
    var signalUrl = root.dataset.signalUrl;
    var csrf = root.dataset.csrf;
    var since = Number(root.dataset.since || 0);
    var ice = json(root.dataset.ice || "[]", []);
    var provider = root.dataset.provider || "webrtc";
    var remoteVideo = root.querySelector("[data-remote]");
    var localVideo = root.querySelector("[data-local]");
    var statusEl = root.querySelector("[data-call-status]");
    var log = root.querySelector("[data-chat-log]");
    var chatForm = root.querySelector("[data-chat-form]");
    var pc = null, stream = null, pollTimer = null, stopped = false, jitsi = null;
    var queue = Promise.resolve();

    function say(key) {
      if (statusEl && statusEl.dataset["words" + key]) {
        statusEl.textContent = statusEl.dataset["words" + key];
      }
    }

    function send(kind, payload) {
      return fetch(signalUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ kind: kind, payload: payload || {} })
      }).then(function (response) {
        if (!response.ok) { throw new Error("signal " + response.status); }
        return response.json();
      });
    }

    function addChat(who, text, mine) {
      if (!log) { return; }
      var item = document.createElement("li");
      item.className = mine ? "chat-mine" : "chat-theirs";
      var name = document.createElement("span");
      name.className = "chat-who";
      name.textContent = who + " : ";
      var words = document.createElement("span");
      words.textContent = text;  /* text, never HTML */
      item.appendChild(name);
      item.appendChild(words);
      log.appendChild(item);
      log.scrollTop = log.scrollHeight;
      /* The doctor wrote: the messages come in sight, unless the cuff is measuring. */
      if (!mine && !root.querySelector(".call-bp [data-poll]")) { showTab("chat"); }
      showChat(log.children.length - 1, -1);
    }

    /* With larger text, the messages and the blood pressure take turns beside the video. */
    var side = root.querySelector("[data-tab]");
    function showTab(name) {
      if (!side) { return; }
      side.dataset.tab = name;
      root.querySelectorAll("[data-call-tab]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.callTab === name));
      });
      if (name === "chat" && log) { showChat(log.children.length - 1, -1); }
    }
    root.querySelectorAll("[data-call-tab]").forEach(function (button) {
      button.addEventListener("click", function () { showTab(button.dataset.callTab); });
    });

    /* On the kiosk nothing scrolls (ACCESSIBILITY.md item 27): the log shows the messages that
       fit, the newest first in sight; "Précédent" and "Suite" turn to earlier or later ones. */
    var older = root.querySelector("[data-chat-older]");
    var newer = root.querySelector("[data-chat-newer]");
    var shown = { first: 0, last: -1 };
    function showChat(from, step) {
      if (!log || !older || !newer) { return; }
      var items = Array.prototype.slice.call(log.children);
      items.forEach(function (item) { item.hidden = true; });
      var first = from, last = from;
      for (var i = from; i >= 0 && i < items.length; i += step) {
        items[i].hidden = false;
        if (i !== from && log.scrollHeight > log.clientHeight + 1) {
          items[i].hidden = true;
          break;
        }
        if (step < 0) { first = i; } else { last = i; }
      }
      shown = { first: first, last: last };
      older.hidden = first <= 0;
      newer.hidden = last >= items.length - 1;
    }
    if (older && newer) {
      older.addEventListener("click", function () { showChat(shown.first - 1, -1); });
      newer.addEventListener("click", function () { showChat(shown.last + 1, 1); });
      /* The log's room changes (a reading appears below it): fit again, ending at the same
         message. */
      if (window.ResizeObserver && log) {
        var room = log.clientHeight;
        new ResizeObserver(function () {
          if (log.clientHeight === room) { return; }
          room = log.clientHeight;
          if (log.children.length) { showChat(Math.max(shown.last, 0), -1); }
        }).observe(log);
      }
    }

    function chat(text) {
      text = (text || "").trim();
      if (!text) { return; }
      send("chat", { text: text }).then(function () {
        addChat(root.dataset.me || "", text, true);
      }).catch(function () { /* the next poll shows the line is missing */ });
    }

    function media() {
      if (stream) { return Promise.resolve(stream); }
      return navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (s) {
        if (stopped) { stopStream(s); throw new Error("stopped"); }
        stream = s;
        localVideo.srcObject = s;
        return s;
      });
    }

    function closePeer() {
      if (pc) { pc.onicecandidate = null; pc.ontrack = null; pc.close(); pc = null; }
    }

    function newPeer() {
      closePeer();
      pc = new RTCPeerConnection({ iceServers: ice });
      stream.getTracks().forEach(function (track) { pc.addTrack(track, stream); });
      /* Candidates wait until our offer or answer has gone: the other side reads in order. */
      var own = pc, described = false, waiting = [];
      pc.sendCandidates = function () {
        described = true;
        waiting.forEach(function (c) { send("candidate", { candidate: c }); });
        waiting = [];
      };
      pc.onicecandidate = function (event) {
        if (!event.candidate || own !== pc) { return; }
        if (described) {
          send("candidate", { candidate: event.candidate.toJSON() });
        } else {
          waiting.push(event.candidate.toJSON());
        }
      };
      pc.ontrack = function (event) {
        if (remoteVideo.srcObject !== event.streams[0]) { remoteVideo.srcObject = event.streams[0]; }
      };
      pc.onconnectionstatechange = function () {
        if (own !== pc) { return; }
        root.dataset.state = pc.connectionState;
        if (pc.connectionState === "connected") { say("Connected"); }
        if (pc.connectionState === "disconnected" || pc.connectionState === "failed") { say("Lost"); }
      };
      return pc;
    }

    function handle(message) {
      if (message.sender === role) { return Promise.resolve(); }
      var p = message.payload || {};
      switch (message.kind) {
        case "chat":
          addChat(root.dataset.them || "", p.text || "", false);
          return Promise.resolve();
        case "bye":
          return Promise.resolve(finish(true));
        case "ring":  /* the doctor called (again): start afresh */
          if (role !== "kiosk" || provider === "jitsi") { return Promise.resolve(); }
          closePeer();
          return media().then(function () { return send("ready"); });
        case "ready":  /* the kiosk is there: offer */
          if (role !== "doctor" || provider === "jitsi") { return Promise.resolve(); }
          newPeer();
          return pc.createOffer().then(function (offer) {
            return pc.setLocalDescription(offer);
          }).then(function () {
            return send("offer", { description: pc.localDescription.toJSON() });
          }).then(function () { pc.sendCandidates(); });
        case "offer":
          if (role !== "kiosk") { return Promise.resolve(); }
          return media().then(function () {
            newPeer();
            return pc.setRemoteDescription(p.description);
          }).then(function () {
            return pc.createAnswer();
          }).then(function (answer) {
            return pc.setLocalDescription(answer);
          }).then(function () {
            return send("answer", { description: pc.localDescription.toJSON() });
          }).then(function () { pc.sendCandidates(); });
        case "answer":
          if (role !== "doctor" || !pc) { return Promise.resolve(); }
          return pc.setRemoteDescription(p.description);
        case "candidate":
          if (!pc || !p.candidate) { return Promise.resolve(); }
          return pc.addIceCandidate(p.candidate).catch(function () { /* an old peer's */ });
        default:
          return Promise.resolve();
      }
    }

    function poll() {
      if (stopped) { return; }
      fetch(signalUrl + "?since=" + since, {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { messages: [] };
      }).then(function (data) {
        (data.messages || []).forEach(function (message) {
          since = Math.max(since, message.id);
          queue = queue.then(function () { return handle(message); }).catch(function (error) {
            console.warn("call: " + message.kind + " not handled: " + error);
          });
        });
        /* The appointment was marked done or no-show: the call is over even without a bye. */
        if (data.ended) {
          queue = queue.then(function () { finish(true); });
        }
      }).catch(function () { /* the network comes back: keep polling */ }).then(function () {
        if (!stopped) { pollTimer = setTimeout(poll, 1000); }
      });
    }

    function stop() {
      stopped = true;
      if (pollTimer) { clearTimeout(pollTimer); }
      closePeer();
      stopStream(stream);
      stream = null;
      if (jitsi) { jitsi.dispose(); jitsi = null; }
    }

    /* The other side hung up (byThem), or we did. */
    function finish(byThem) {
      if (stopped) { return; }
      stop();
      root.dataset.state = "ended";
      if (role === "kiosk") {
        window.location.assign(root.dataset.endUrl);
        return;
      }
      say(byThem ? "Hungup" : "Ended");
      /* The appointment is over (done): no second call from this page. */
      root.querySelectorAll("[data-call-start], [data-call-hangup]").forEach(function (b) {
        b.hidden = true;
      });
    }

    function startJitsi() {
      var domain = root.dataset.jitsiDomain;
      var area = root.querySelector("[data-jitsi]");
      function open() {
        area.hidden = false;
        remoteVideo.hidden = true;
        localVideo.hidden = true;
        /* global JitsiMeetExternalAPI */
        jitsi = new window.JitsiMeetExternalAPI(domain, {
          roomName: root.dataset.room, parentNode: area, width: "100%", height: "100%"
        });
        jitsi.addListener("videoConferenceJoined", function () {
          root.dataset.state = "connected";
          say("Connected");
        });
        jitsi.addListener("readyToClose", function () { send("bye").then(function () { finish(false); }); });
      }
      if (window.JitsiMeetExternalAPI) { open(); return; }
      var script = document.createElement("script");
      script.src = "https://" + domain + "/external_api.js";
      script.onload = open;
      document.head.appendChild(script);
    }

    /* --- Controls --- */
    /* The chat: a form on the doctor's page; the kiosk answers with ready-made replies. */
    function sendTyped(event) {
      if (event) { event.preventDefault(); }
      var input = chatForm.querySelector("input[name=text]");
      chat(input.value);
      input.value = "";
    }
    if (chatForm) { chatForm.addEventListener("submit", sendTyped); }
    root.querySelectorAll("[data-reply]").forEach(function (button) {
      button.addEventListener("click", function () { chat(button.dataset.reply); });
    });

    function toggleDoctorButtons(inCall) {
      var startButton = root.querySelector("[data-call-start]");
      var hangButton = root.querySelector("[data-call-hangup]");
      if (startButton) { startButton.hidden = inCall; }
      if (hangButton) { hangButton.hidden = !inCall; }
    }

    if (role === "doctor") {
      var startButton = root.querySelector("[data-call-start]");
      var hangButton = root.querySelector("[data-call-hangup]");
      var area = root.querySelector("[data-call-area]");
      startButton.addEventListener("click", function () {
        stopped = false;
        area.hidden = false;
        toggleDoctorButtons(true);
        say("Calling");
        root.dataset.state = "calling";
        var ready = provider === "jitsi" ? Promise.resolve() : media();
        ready.then(function () { return send("ring"); }).then(function (answer) {
          since = Math.max(since, answer.id);
          if (provider === "jitsi") { startJitsi(); }
          poll();
        }).catch(function () {
          say("Nomedia");
          toggleDoctorButtons(false);
        });
      });
      hangButton.addEventListener("click", function () {
        send("bye").then(function () { finish(false); }, function () { finish(false); });
      });
    } else {
      /* The kiosk: join at once, and ask before hanging up. */
      var dialog = root.querySelector("[data-hangup-confirm]");
      root.querySelector("[data-hangup]").addEventListener("click", function () {
        dialog.showModal();
      });
      root.querySelector("[data-hangup-no]").addEventListener("click", function () {
        dialog.close();
      });
      root.querySelector("[data-hangup-yes]").addEventListener("click", function () {
        dialog.close();
        send("bye").then(function () { finish(false); }, function () { finish(false); });
      });
      if (provider === "jitsi") {
        startJitsi();
        poll();
      } else {
        media().then(function () { return send("ready"); }).then(poll, function () {
          say("Nomedia");
          poll();  /* the doctor's goodbye still ends the call */
        });
      }
    }

    return { stop: stop, root: root };
  }

  function start() {
    /* Leaving the screen (an htmx swap took it away) turns the camera off. */
    if (active && !document.body.contains(active.root)) { active.stop(); active = null; }
    var root = document.querySelector("[data-call]");
    if (!root || (active && active.root === root)) { return; }
    if (active) { active.stop(); active = null; }
    var running = root.dataset.call === "check" ? startCheck(root) : startCall(root);
    running.root = root;
    active = running;
  }

  document.addEventListener("htmx:afterSettle", start);

  /* During a call, Aide must not take the screen away: the request goes in the background. */
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail && event.detail.elt;
    if (!active || !active.root.matches("[data-call=kiosk]") || !form ||
        !form.matches || !form.matches("form[action$='/help']")) { return; }
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        var notice = document.querySelector("[data-help-called]");
        if (notice && response.ok) { notice.hidden = false; }
      });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
