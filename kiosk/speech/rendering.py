"""Every screen speaks its own words (ACCESSIBILITY.md items 5, 6, 9).

The spoken text is read off the rendered screen, so it is always the same words as the screen,
in its language. Templates mark private details (names, codes, appointment times, BP values)
with ``data-private``; those pieces go through voice.speech.build_speech, which speaks them
only when a headset is in or the person asked on this screen (``?listen=1``). A template can
give a piece its spoken form with ``data-spoken`` (a code read character by character), or
keep something silent with ``data-speech-skip`` (the keys of a keyboard).

Speech never blocks a screen: without the TTS service, or past its deadline, the screen is
simply shown without sound.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import wave
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, request, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from kiosk.security.sessions import interface
from kiosk.speech.rate import speech_rate
from voice.errors import SpeechError
from voice.speech import Private, Utterance, build_speech
from voice.tts import TtsService

log = logging.getLogger(__name__)

MARKER = "__KIOSK_SPEECH_SRC__"
RENDER_DEADLINE = 2.0
# Elements whose text is one sentence to say (in document order).
# A summary row (dt then dd) is one sentence: a private value withholds its label too.
BLOCKS = {"h1", "h2", "p", "li", "dd", "legend", "label", "button", "a"}
VOID = {"input", "img", "br", "meta", "link", "hr", "source"}
SECTION = "main"

class _Reader(HTMLParser):
    """Collects the sentences of the <main> region: text per block, private pieces wrapped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sentences: list[tuple[str | Private, ...]] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, private, skip)
        self._in_main = 0
        self._pieces: list[str | Private] = []
        self._spoken_override: list[str | None] = []

    def _flags(self) -> tuple[bool, bool]:
        private = any(p for _t, p, _s in self._stack)
        skip = any(s for _t, _p, s in self._stack)
        return private, skip

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        names = dict(attrs)
        if tag == SECTION:
            self._in_main += 1
        skip = "data-speech-skip" in names or "hidden" in names
        self._stack.append((tag, "data-private" in names, skip))
        spoken = names.get("data-spoken")
        self._spoken_override.append(spoken)
        if tag in BLOCKS and tag != "dd":  # a dd continues its dt's sentence
            self._flush()
        if spoken is not None and self._in_main and not self._flags()[1]:
            piece: str | Private = Private(spoken) if self._flags()[0] else spoken
            self._pieces.append(piece)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self._stack:
            return
        while self._stack:
            open_tag, _p, _s = self._stack.pop()
            self._spoken_override.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()
        if tag == SECTION:
            self._in_main -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_main or not data.strip():
            return
        private, skip = self._flags()
        if skip or any(o is not None for o in self._spoken_override):
            return
        text = " ".join(data.split())
        self._pieces.append(Private(text) if private else text)

    def _flush(self) -> None:
        pieces = [p for p in self._pieces if isinstance(p, Private) or p.strip()]
        self._pieces = []
        if not pieces:
            return
        # Separate pieces by spaces, and end the sentence so the voice pauses.
        spaced: list[str | Private] = []
        for index, piece in enumerate(pieces):
            if index:
                spaced.append(" ")
            spaced.append(piece)
        last = spaced[-1]
        if isinstance(last, str) and last.rstrip()[-1:] not in ".?!:":
            spaced.append(".")
        elif isinstance(last, Private):
            spaced.append(".")
        self.sentences.append(tuple(spaced))


def screen_utterance(html: str, lang: str, *, asked: bool, headset: bool = False) -> Utterance:
    """What the screen says: its main region, private pieces only if asked or into a headset."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return build_speech(reader.sentences, lang=lang, headset=headset, asked=asked)


def service(app: Flask | None = None) -> TtsService | None:
    """The running TTS service (started after the fork), if any."""
    return (app or current_app).extensions.get("kiosk_tts")


def attach(html: str, lang: str, settings: dict[str, Any], rate: int | None = None) -> str:
    """Fill the screen's speech source: render its words, or leave it silent on any failure."""
    tts = service()
    if tts is None or MARKER not in html or not settings["speech_enabled"]:
        return html.replace(MARKER, "")
    asked = request.args.get("listen") == "1"
    if rate is None:
        rate = speech_rate()  # the visit's rate: "moins vite" lasts until the visit ends
    try:
        utterance = screen_utterance(html, lang, asked=asked)
        if not utterance.text.strip():
            return html.replace(MARKER, "")
        rendered = tts.render(utterance, rate=rate, deadline=RENDER_DEADLINE)
    except (SpeechError, ValueError) as exc:
        log.warning("screen shown without speech: %s", type(exc).__name__)
        return html.replace(MARKER, "")
    return html.replace(MARKER, f"/speech/{rendered.key}.wav")


def serve(key: str) -> Response:
    """The WAV file of a render, as every speech URL serves it; 404 for an unknown key."""
    tts = service()
    if tts is None:
        abort(404)
    private = tts.private_audio(key)
    if private is not None:  # held in memory only (SECURITY.md item 27)
        return Response(private, mimetype="audio/wav", headers={"Cache-Control": "no-store"})
    path = tts.lookup(key)
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/wav", max_age=0)


# The speech check: a phrase no screen says, rendered by the real engine and served back the way
# a screen's speech is, so a broken engine or a wrong folder shows on /healthz and the staff page.
CHECK_TEXT = "Essai de la voix de la borne."
CHECK_EVERY = 60.0  # seconds a verdict is kept: a check costs a render (about 12 ms)
_CHECK = "kiosk_speech_check"


def _playable(body: bytes) -> bool:
    """A WAV file with sound in it."""
    try:
        with wave.open(io.BytesIO(body), "rb") as wav_file:
            return wav_file.getnframes() > 0
    except (EOFError, wave.Error):
        return False


def _render_and_serve(app: Flask, tts: TtsService) -> bool:
    try:
        rendered = tts.render(CHECK_TEXT, app.config["KIOSK"]["languages"][0],
                              deadline=RENDER_DEADLINE)
    except (SpeechError, ValueError) as exc:
        log.warning("speech check: the engine failed: %s", type(exc).__name__)
        return False
    try:
        with app.test_request_context(f"/speech/{rendered.key}.wav"):
            response = serve(rendered.key)
            response.direct_passthrough = False
            body = response.get_data()
            response.close()
        return response.status_code == 200 and _playable(body)
    except (HTTPException, OSError) as exc:
        log.warning("speech check: the render cannot be served: %s", type(exc).__name__)
        return False
    finally:
        rendered.path.unlink(missing_ok=True)  # so the next check renders again


def speech_out_state(app: Flask | None = None) -> str:
    """Speech out: "ok" (a real render was served back), "broken", "disabled" (setting), or
    "not_started" (no speech in this process: server mode, or before the worker starts).

    The verdict is kept CHECK_EVERY seconds.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["KIOSK"]["speech_enabled"]:
        return "disabled"
    tts = service(app)
    if tts is None:
        return "not_started"
    check = app.extensions.setdefault(_CHECK, {"lock": threading.Lock(), "at": None, "ok": False})
    with check["lock"]:
        if check["at"] is None or time.monotonic() - check["at"] > CHECK_EVERY:
            check["ok"] = _render_and_serve(app, tts)
            check["at"] = time.monotonic()
        return "ok" if check["ok"] else "broken"


def start(app: Flask) -> None:
    """Start the TTS worker (after the fork) and forget private audio at every session end."""
    settings = app.config["KIOSK"]
    if not settings["speech_enabled"] or "kiosk_tts" in app.extensions:
        return
    tts = TtsService(Path(settings["data_dir"]) / "speech", rate=settings["speech_rate"])
    try:
        tts.start()
    except SpeechError as exc:
        log.warning("speech unavailable: %s", exc)
        return
    app.extensions["kiosk_tts"] = tts
    interface(app).end_hooks.append(lambda _ref: tts.purge_private())


def stop(app: Flask) -> None:
    """Stop the TTS worker."""
    tts = app.extensions.pop("kiosk_tts", None)
    if tts is not None:
        tts.close()
