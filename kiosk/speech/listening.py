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

One vosk ``Model`` per language in the process, loaded after the fork (never at import or in
the app factory), and a new recognizer per question. Audio and words stay in memory only:
nothing is written to disk and nothing of what was said is logged (SECURITY.md item 20).

Tests and the bench run the kiosk with the Korean model (the one real vosk model reachable in
development) through the setting ``listen_as``: ``fr=ko`` makes French screens listen with the
Korean lexicon and the model at ``model_dir/ko``. A production kiosk leaves it empty.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, current_app, jsonify, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.core.i18n import current_language
from kiosk.core.records import utcnow
from kiosk.security.sessions import KioskServerSession
from kiosk.speech.choice_words import every_keyword
from kiosk.speech.choice_words import keywords as keywords_for
from voice.errors import ModelError, ModelInvalid, RecognitionError, SpeechError, VoiceError
from voice.grammar import Grammar, Step, build_grammar
from voice.intents import Intent, match
from voice.lexicon import lexicon
from voice.models import find_model
from voice.recognizer import SAMPLE_RATE, Listening, ModelStore
from voice.screen import asks_yes_no, shows_time
from voice.spoken import normalise

log = logging.getLogger(__name__)

bp = Blueprint("listen", __name__, url_prefix="/voice")  # the URLs kept their old name

WINDOW_SECONDS = 8  # the listening window after each spoken question
MAX_SECONDS = 20  # one answer never holds more audio than this
MAX_BYTES = MAX_SECONDS * SAMPLE_RATE * 2
STALE_SECONDS = 60  # a listening the browser forgot is dropped after this
MAX_CHOICES = 30
MAX_LABEL = 120
MISSES_BEFORE_BUTTONS = 2
RATE_STEP = 20
RATE_RANGE = (80, 200)
# Commands the browser carries out itself, each by touching a visible control.
BROWSER_COMMANDS = {"help", "back", "repeat", "louder", "quieter"}

_EXTENSION = "kiosk_listen"
NO_MODEL = "no speech model"
BROKEN = "the speech model could not be loaded"


# -- models: found once, loaded after the fork ------------------------------------------------


@dataclass
class _Recognition:
    """The process's models: which screen language listens with which model, and what failed."""

    store: ModelStore
    listen_as: dict[str, str]  # screen language -> listening language (lexicon and model)
    missing: dict[str, str]  # screen language -> why it is touch-only
    broken: dict[str, str] = field(default_factory=dict)  # listening language -> load failure
    listenings: dict[str, _Open] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # languages whose words were checked
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class _Open:
    """One question being listened to."""

    listening: Listening
    step: Step
    owner: str
    labels: tuple[str, ...]
    confirms: tuple[bool, ...]
    confirm_mode: bool
    misses: int
    started: float
    received: int = 0


def _listen_as(settings: dict[str, Any]) -> dict[str, str]:
    mapping = {lang: lang for lang in settings["languages"]}
    for pair in settings["listen_as"]:
        screen_lang, _sep, listen_lang = pair.partition("=")
        if screen_lang.strip() in mapping and listen_lang.strip():
            mapping[screen_lang.strip()] = listen_lang.strip()
    return mapping


def recognition(app: Flask | None = None) -> _Recognition:
    """The process's recognition state, made on first use (it opens no model)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    state = app.extensions.get(_EXTENSION)
    if state is not None:
        return state  # type: ignore[no-any-return]
    settings = app.config["KIOSK"]
    listen_as = _listen_as(settings)
    paths: dict[str, Path] = {}
    missing: dict[str, str] = {}
    for screen_lang, listen_lang in listen_as.items():
        try:
            lexicon(listen_lang)
            paths[listen_lang] = find_model(Path(settings["model_dir"]), listen_lang)
        except ValueError:
            missing[screen_lang] = f"no listening vocabulary for {listen_lang!r}"
        except ModelInvalid:
            missing[screen_lang] = "the speech model folder is incomplete (kiosk models install)"
        except ModelError:
            missing[screen_lang] = NO_MODEL
    state = _Recognition(ModelStore(paths), listen_as, missing)
    return app.extensions.setdefault(_EXTENSION, state)  # type: ignore[no-any-return]


def available(lang: str, app: Flask | None = None) -> bool:
    """Whether screens in ``lang`` can be answered by voice (a model is installed and loads)."""
    state = recognition(app)
    return lang not in state.missing and state.listen_as.get(lang) not in state.broken


def recognition_status(app: Flask | None = None) -> tuple[bool, str]:
    """For the staff page and /healthz: can people answer by voice, and if not, why.

    ``(True, "speech: fr, en")`` or ``(False, "touch-only: no speech model")``; a kiosk with a
    model for some languages only says which ones are touch-only, and why.
    """
    state = recognition(app)
    ready = [lang for lang in state.listen_as if available(lang, app)]
    why = {lang: state.missing.get(lang) or BROKEN for lang in state.listen_as if lang not in ready}
    reasons = "; ".join(sorted(set(why.values())))
    if not ready:
        return False, f"touch-only: {reasons}"
    if not why:
        return True, "speech: " + ", ".join(ready)
    return True, "speech: " + ", ".join(ready) + "; touch-only: " + ", ".join(why) + f" ({reasons})"


def touch_only_languages(app: Flask | None = None) -> dict[str, bool]:
    """The screen languages people cannot answer by voice, each with whether a model is
    installed for it (True: installed but it does not load; False: none installed)."""
    state = recognition(app)
    return {lang: state.missing.get(lang) != NO_MODEL for lang in state.listen_as
            if not available(lang, app)}


def _check_step(lang: str) -> Step:
    """Every fixed word a step of ``lang`` can ask for: yes/no, codes, dates and years, times,
    commands, days said in words, page buttons, and every choice's other words (from the
    catalogue, when ``lang`` is a screen language)."""
    lex = lexicon(lang)
    if not lex.has_dates:
        return Step(lang, yes_no=True, code=bool(lex.letters))
    with force_locale(lang):
        words = every_keyword()
    today = dt.date.today()
    return Step(lang, choices=(*lex.next_page[:1], *lex.previous_page[:1], "?"),
                keywords=((), (), words), choice_dates=(None, None, today),
                today=today, yes_no=True, code=True, dates=True, times=True, years=True)


def _load_and_check(state: _Recognition, listen_lang: str) -> bool:
    """Load one language's model and report, once, the grammar words it lacks."""
    try:
        missing = state.store.missing_words(build_grammar(_check_step(listen_lang)))
    except ModelError as exc:
        state.broken[listen_lang] = str(exc)
        log.warning("speech model %s unusable, touch-only: %s", listen_lang, exc)
        return False
    with state.lock:
        if listen_lang in state.checked:
            return True
        state.checked.add(listen_lang)
    if missing:
        # Grammar words (the kiosk's own vocabulary), never anything a person said.
        log.warning("speech model %s lacks %d grammar words: %s", listen_lang, len(missing),
                    ", ".join(missing))
    else:
        log.info("speech model %s knows every grammar word", listen_lang)
    return True


def load_models(app: Flask) -> None:
    """Load each language's model and report grammar words it lacks (at worker start; in
    server mode, where no worker start hook runs, the first listening does it)."""
    state = recognition(app)
    with app.app_context():  # the check reads the catalogue
        for listen_lang in sorted(set(state.listen_as.values()) - set(state.broken)):
            if listen_lang in state.store.languages:
                _load_and_check(state, listen_lang)


def start(app: Flask) -> None:
    """Load the models in the background once the worker runs (after gunicorn's fork)."""
    recognition(app)
    threading.Thread(target=load_models, args=(app,), name="speech-models", daemon=True).start()


# -- rate --------------------------------------------------------------------------------------


def speech_rate() -> int:
    """The visit's speech rate in words per minute (the setting, until "moins vite")."""
    rate = session.get("speech_rate")
    return int(rate) if rate else int(current_app.config["KIOSK"]["speech_rate"])


def change_rate(step: int) -> int:
    """Slower (negative) or faster, for the rest of the visit; returns the new rate."""
    low, high = RATE_RANGE
    session["speech_rate"] = rate = min(max(speech_rate() + step, low), high)
    return rate


# -- what the words mean on this screen --------------------------------------------------------


@lru_cache(maxsize=64)
def _grammar(step: Step) -> Grammar:
    return build_grammar(step)


def _needs(labels: tuple[str, ...], lang: str) -> tuple[bool, bool, bool]:
    """(yes_no, times, dates) for choices with these labels."""
    lex = lexicon(lang)
    yes_no = asks_yes_no(labels, lang)
    if not lex.has_dates:
        return yes_no, False, False
    spoken = set(" ".join(normalise(label, lang).lower() for label in labels).split())
    times = any(shows_time(label, lang) for label in labels)
    dates = bool(spoken & {*lex.months, *lex.weekdays})
    return yes_no, times, dates


@dataclass(frozen=True)
class Shown:
    """The screen as listen.js sees it: visible choices (label, the name and value their
    button posts, the sex of the person they name when the screen knows it), a keypad, a
    date to say."""

    labels: tuple[str, ...]
    names: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    code: bool = False
    date: bool = False
    sexes: tuple[str, ...] = ()


def _day(value: str) -> dt.date | None:
    """The day a choice stands for, when its value is one ("2026-12-03")."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def step_for(lang: str, shown: Shown, *, confirm_mode: bool = False, own_words: bool = True,
             today: dt.date | None = None) -> Step:
    """The step to listen for on a screen: its choices with their other words (from the
    catalogue, in the visit's language: ``own_words`` is false when the screen's language
    listens through another one's model) and their days, yes/no, a code, times, dates."""
    if confirm_mode:
        return Step(lang, yes_no=True)
    lex = lexicon(lang)
    yes_no, times, dates = _needs(shown.labels, lang)
    blank = ("",) * len(shown.labels)
    names, values = shown.names or blank, shown.values or blank
    keywords = tuple(keywords_for(n, v, label)
                     for n, v, label in zip(names, values, shown.labels, strict=True))
    days = tuple(_day(v) for v in values)
    return Step(lang, choices=shown.labels, yes_no=yes_no, code=shown.code and bool(lex.letters),
                times=times, dates=dates or (shown.date and lex.has_dates),
                years=shown.date and lex.has_dates,
                keywords=keywords if own_words and any(keywords) else (),
                choice_dates=days if lex.has_dates and any(days) else (),
                today=today if lex.has_dates else None,
                sexes=shown.sexes if any(shown.sexes) else ())


def _say(text: str) -> str | None:
    """The URL of ``text`` spoken at the visit's rate, or None without speech."""
    from kiosk.speech.rendering import service

    tts = service()
    if tts is None or not current_app.config["KIOSK"]["speech_enabled"]:
        return None
    try:
        rendered = tts.render(text, current_language(), rate=speech_rate(), deadline=2.0)
    except (SpeechError, ValueError) as exc:
        log.warning("voice prompt not spoken: %s", type(exc).__name__)
        return None
    return f"/speech/{rendered.key}.wav"


def _spoken(do: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"do": do, "text": text, "speech": _say(text), **extra}


def _confirm(target: int | str, label: str) -> dict[str, Any]:
    text = " ".join((_("Vous avez choisi : %(label)s.", label=label),
                     _("C'est bien ça ? Dites oui ou non.")))
    return _spoken("confirm", text, target=target)


def _retry_text() -> str:
    return " ".join((_("Pardon, je n'ai pas compris."), _("Répétez, s'il vous plaît.")))


def _buttons_text() -> str:
    return " ".join((_("Je n'ai pas compris deux fois."), _("Touchez un bouton, s'il vous plaît.")))


def _timeout_text() -> str:
    seconds = current_app.config["KIOSK"]["warning_seconds"]
    return " ".join((_("Êtes-vous toujours là ?"), _("Sans réponse, tout sera effacé dans"),
                     str(seconds), _("secondes."), _("Touchez « Plus de temps ».")))


def prerender_prompts() -> int:
    """Render the fixed voice prompts of the current language ahead of time (`kiosk speech
    prerender`); returns how many were rendered."""
    return sum(_say(text) is not None for text in (_retry_text(), _buttons_text(),
                                                   _timeout_text()))


def _misunderstood(opened: _Open) -> dict[str, Any]:
    if opened.misses + 1 >= MISSES_BEFORE_BUTTONS:
        return _spoken("buttons", _buttons_text())
    return _spoken("retry", _retry_text())


def decide(intent: Intent, opened: _Open) -> dict[str, Any]:
    """What the browser does for ``intent``: which control to touch, or what to say.

    ``activate`` (target: choice index or a named control), ``confirm`` (read back first: the
    target is hard to undo), ``yes``/``no`` (answer to a read-back), ``refresh`` (the rate
    changed: the screen speaks again), ``code`` (type it on the keypad), ``date`` (a whole
    date said where the screen asks for one: listen.js fills its ``[data-voice-date]`` field),
    ``retry`` and ``buttons`` (after the second misunderstanding: touch a button). A yes or a
    no selects the Oui / Non choice in the matcher already; said elsewhere, it is not an answer.
    """
    kind = intent.kind
    if opened.confirm_mode:
        if kind in ("yes", "no"):
            return {"do": kind}
        if kind == "command" and intent.name in ("cancel", "back"):
            return {"do": "no"}
    if kind == "command" and intent.name in ("slower", "faster"):
        change_rate(-RATE_STEP if intent.name == "slower" else RATE_STEP)
        return {"do": "refresh"}
    if opened.confirm_mode:
        if kind == "command" and intent.name in BROWSER_COMMANDS:
            return {"do": "activate", "target": intent.name}
        return _misunderstood(opened)
    index: int | None = None
    if kind == "choice":
        index = intent.index
    elif kind == "command" and intent.name == "cancel":
        return _confirm("end", _("Terminer"))
    elif kind == "command" and intent.name in BROWSER_COMMANDS:
        return {"do": "activate", "target": intent.name}
    elif kind == "code" and opened.step.code and intent.code:
        return {"do": "code", "code": intent.code}
    elif kind == "date" and opened.step.years and intent.year and intent.month and intent.day:
        return {"do": "date", "date": dt.date(intent.year, intent.month, intent.day).isoformat()}
    if index is None or not 0 <= index < len(opened.labels):
        return _misunderstood(opened)
    if opened.confirms[index]:
        return _confirm(index, opened.labels[index])
    return {"do": "activate", "target": index}


# -- endpoints -----------------------------------------------------------------------------------


def _owner(*, opening: bool = False) -> str:
    """The visit a listening belongs to: its pseudonymous reference. A listening opened before
    the visit had a cookie gives the visit its id at once, so the visit's end hook finds the
    listening (SECURITY.md item 20); a request without one owns nothing."""
    visit = session._get_current_object()  # type: ignore[attr-defined]
    if opening and isinstance(visit, KioskServerSession):
        return visit.give_id(utcnow())
    return str(getattr(visit, "ref", "anonymous"))


def _drop_stale(state: _Recognition, now: float) -> None:
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
    if listen_lang not in state.checked and not _load_and_check(state, listen_lang):
        return jsonify(error="touch-only"), 404
    try:
        from kiosk.core.clock import today

        step = step_for(listen_lang, shown, confirm_mode=confirm_mode,
                        own_words=listen_lang == lang, today=today())
        listening = state.store.listen(_grammar(step))
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
        state.listenings[key] = _Open(listening, step, owner, shown.labels, confirms,
                                      confirm_mode, misses, now)
    return jsonify(id=key, window=WINDOW_SECONDS, max=MAX_SECONDS)


def _opened(key: str, *, remove: bool = False) -> _Open:
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
    url = _say(_timeout_text())
    if url is None:
        abort(404)
    from kiosk.speech.rendering import serve

    return serve(url.rsplit("/", 1)[1].removesuffix(".wav"))


def offered() -> bool:
    """Whether this screen offers "Parler": a model for its language, and a microphone that is
    not the video call's (there the doctor's voice must never touch the kiosk's buttons)."""
    from kiosk.security.headers import VIDEO_BLUEPRINTS

    return request.blueprint not in VIDEO_BLUEPRINTS and available(current_language())


def _template_context() -> dict[str, Any]:
    try:
        voice_input = offered()
    except RuntimeError:
        return {}
    from kiosk.speech.rendering import service

    speech_on = service() is not None and current_app.config["KIOSK"]["speech_enabled"]
    return {"voice_input": voice_input, "listen_window": WINDOW_SECONDS, "speech_on": speech_on}


def _forget_visit(app: Flask, ref: str) -> None:
    """A visit ended: its open listening (audio and words in vosk's memory) goes with it, and
    so does any listening a browser forgot, whoever it was for."""
    state = app.extensions.get(_EXTENSION)
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
    from kiosk.security.sessions import interface

    interface(app).end_hooks.append(lambda ref: _forget_visit(app, ref))
