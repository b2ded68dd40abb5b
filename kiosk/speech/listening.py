"""Speech in at the kiosk: the "Parler" button, the listening window, and what a spoken answer does.

The browser (static/listen.js) captures 16 kHz mono PCM while "Je vous écoute" is shown, and
sends it here in short chunks; vosk decodes it with a grammar made for the screen (its visible
choices by their words and numbers, yes/no, digits for a code, times and dates when the choices
hold them, and the commands). Each choice also answers to the words speech/choice_words.py gives
its name and value, and a choice whose value is a day ("2026-12-03") to that day said in words
("après-demain"). The matcher turns the words into an intent, and the answer names the visible
control to activate: listen.js clicks it, so voice and touch share one path.

    POST /voice/listen               JSON {choices: [{label, confirm, name, value, sex}], code,
                                     date, confirm, misses} -> {id}  (404: touch-only language)
    POST /voice/listen/<id>/audio    raw PCM            -> {partial, done}
    POST /voice/listen/<id>/end                         -> {do: ...} (see ``decide``)
    GET  /voice/prompt/timeout.wav   the inactivity warning, spoken

The models live in ``recognition``, what an answer means in ``answers``, the visit's rate in
``rate``; this module holds the endpoints. A new recognizer per question. Audio and words stay
in memory only: nothing is written to disk and nothing of what was said is logged
(SECURITY.md item 20).

Tests and the bench run the kiosk with the Korean model (the one real vosk model reachable in
development) through the setting ``listen_as``: ``fr=ko`` makes French screens listen with the
Korean lexicon and the model at ``model_dir/ko``. A production kiosk leaves it empty.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from kiosk.core.clock import today
from kiosk.core.i18n import current_language
from kiosk.core.records import utcnow
from kiosk.security.sessions import current_visit, interface
from kiosk.speech import recognition as models
from kiosk.speech.answers import Shown, decide, grammar_for, say, step_for, timeout_text
from kiosk.speech.recognition import (
    EXTENSION,
    OpenListening,
    Recognition,
    available,
    load_and_check,
    recognition,
)
from kiosk.speech.rendering import serve, service
from voice.errors import ModelError, RecognitionError, VoiceError
from voice.intents import match
from voice.recognizer import SAMPLE_RATE

log = logging.getLogger(__name__)

bp = Blueprint("listen", __name__, url_prefix="/voice")  # the URLs kept their old name

WINDOW_SECONDS = 8  # the listening window after each spoken question
MAX_SECONDS = 20  # one answer never holds more audio than this
MAX_BYTES = MAX_SECONDS * SAMPLE_RATE * 2
STALE_SECONDS = 60  # a listening the browser forgot is dropped after this
MAX_CHOICES = 30
MAX_LABEL = 120




# -- endpoints -----------------------------------------------------------------------------------


def _owner(*, opening: bool = False) -> str:
    """The visit a listening belongs to: its pseudonymous reference. A listening opened before
    the visit had a cookie gives the visit its id at once, so the visit's end hook finds the
    listening (SECURITY.md item 20); a request without one owns nothing."""
    visit = current_visit()
    return visit.give_id(utcnow()) if opening else visit.ref


def _drop_stale(state: Recognition, now: float) -> None:
    for key in [k for k, o in state.listenings.items() if now - o.started > STALE_SECONDS]:
        state.listenings.pop(key).listening.close()


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key) or ""
    if not isinstance(value, str):
        abort(400)
    return " ".join(value.split())[:MAX_LABEL]


def _parse_start(body: Any) -> tuple[Shown, tuple[bool, ...], bool, int]:
    if not isinstance(body, dict):
        abort(400)
    raw = body.get("choices") or []
    if not isinstance(raw, list) or len(raw) > MAX_CHOICES:
        abort(400)
    labels, confirms, names, values, sexes = [], [], [], [], []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            abort(400)
        labels.append(_text(item, "label") or "?")
        confirms.append(bool(item.get("confirm")))
        names.append(_text(item, "name"))
        values.append(_text(item, "value"))
        sexes.append(_text(item, "sex")[:1])
    misses = body.get("misses", 0)
    if not isinstance(misses, int) or misses < 0:
        abort(400)
    shown = Shown(tuple(labels), tuple(names), tuple(values), code=bool(body.get("code")),
                  date=bool(body.get("date")), sexes=tuple(sexes))
    return shown, tuple(confirms), bool(body.get("confirm")), misses


@bp.post("/listen")
def listen_start() -> Response | tuple[Response, int]:
    """Open a recognizer for this screen's question (the microphone is on in the browser)."""
    lang = current_language()
    if not available(lang):
        return jsonify(error="touch-only"), 404
    shown, confirms, confirm_mode, misses = _parse_start(request.get_json(silent=True))
    state = recognition()
    listen_lang = state.listen_as[lang]
    if listen_lang not in state.checked and not load_and_check(state, listen_lang):
        return jsonify(error="touch-only"), 404
    try:
        step = step_for(listen_lang, shown, confirm_mode=confirm_mode,
                        own_words=listen_lang == lang, today=today())
        listening = state.store.listen(grammar_for(step))
    except ModelError as exc:
        state.broken[listen_lang] = str(exc)
        log.warning("speech model %s unusable, touch-only: %s", listen_lang, exc)
        return jsonify(error="touch-only"), 404
    except (RecognitionError, ValueError) as exc:
        log.warning("no recognizer for this screen: %s", type(exc).__name__)
        return jsonify(error="no-grammar"), 409
    owner, now = _owner(opening=True), time.monotonic()
    key = secrets.token_urlsafe(16)
    with state.lock:
        _drop_stale(state, now)
        # One question at a time per visit: a new one closes the previous.
        for old in [k for k, o in state.listenings.items() if o.owner == owner]:
            state.listenings.pop(old).listening.close()
        state.listenings[key] = OpenListening(listening, step, owner, shown.labels, confirms,
                                      confirm_mode, misses, now)
    return jsonify(id=key, window=WINDOW_SECONDS, max=MAX_SECONDS)


def _opened(key: str, *, remove: bool = False) -> OpenListening:
    state = recognition()
    with state.lock:
        opened = state.listenings.get(key)
        if opened is None or opened.owner == "anonymous" or opened.owner != _owner():
            abort(404)
        if remove:
            del state.listenings[key]
    return opened


@bp.post("/listen/<key>/audio")
def listen_audio(key: str) -> Response:
    """More of the answer: 16-bit little-endian mono PCM at 16 kHz. Returns the words so far."""
    opened = _opened(key)
    pcm = request.get_data(cache=False)
    if opened.received + len(pcm) > MAX_BYTES:
        return jsonify(partial="", done=True)
    opened.received += len(pcm)
    try:
        partial = opened.listening.feed(pcm)
    except RecognitionError:
        abort(400)
    return jsonify(partial=partial, done=opened.listening.phrase_ended)


@bp.post("/listen/<key>/end")
def listen_end(key: str) -> Response:
    """The answer is complete (a pause, the window closed, or a touch): what to do now."""
    opened = _opened(key, remove=True)
    try:
        heard = opened.listening.finish()
    except VoiceError:
        heard = None
    finally:
        opened.listening.close()
    if heard is None or not heard.words:
        return jsonify(do="none")  # silence: nothing to answer, nothing missed
    return jsonify(decide(match(heard.words, opened.step), opened))


@bp.get("/prompt/timeout.wav")
def timeout_prompt() -> Response:
    """The inactivity warning, spoken at the visit's rate (ACCESSIBILITY.md item 11)."""
    url = say(timeout_text())
    if url is None:
        abort(404)
    return serve(url.rsplit("/", 1)[1].removesuffix(".wav"))


def _template_context() -> dict[str, Any]:
    try:
        voice_input = models.offered()
    except RuntimeError:
        return {}
    speech_on = service() is not None and current_app.config["KIOSK"]["speech_enabled"]
    return {"voice_input": voice_input, "listen_window": WINDOW_SECONDS, "speech_on": speech_on}


def _forget_visit(app: Flask, ref: str) -> None:
    """A visit ended: its open listening (audio and words in vosk's memory) goes with it, and
    so does any listening a browser forgot, whoever it was for."""
    state = app.extensions.get(EXTENSION)
    if state is None:
        return
    with state.lock:
        _drop_stale(state, time.monotonic())
        for key in [k for k, o in state.listenings.items() if o.owner == ref]:
            state.listenings.pop(key).listening.close()


def init_app(app: Flask) -> None:
    """Register the blueprint and tell every screen whether "Parler" is offered."""
    app.register_blueprint(bp)
    app.context_processor(_template_context)
    interface(app).end_hooks.append(lambda ref: _forget_visit(app, ref))
