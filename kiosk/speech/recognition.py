"""Speech in: which screen language listens with which vosk model, loading the models after
the fork, and whether a screen can offer "Parler".

One vosk ``Model`` per language in the process, loaded after the fork (never at import or in
the app factory). Tests and the bench listen with the Korean model through the setting
``listen_as`` (``fr=ko``); a production kiosk leaves it empty.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from flask_babel import force_locale

from kiosk.core.i18n import current_language
from kiosk.security.headers import VIDEO_BLUEPRINTS
from kiosk.speech.choice_words import every_keyword
from voice.errors import ModelError, ModelInvalid
from voice.grammar import Step, build_grammar
from voice.lexicon import lexicon
from voice.models import find_model
from voice.recognizer import Listening, ModelStore

log = logging.getLogger(__name__)

EXTENSION = "kiosk_listen"
NO_MODEL = "no speech model"
BROKEN = "the speech model could not be loaded"


# -- models: found once, loaded after the fork ------------------------------------------------


@dataclass
class Recognition:
    """The process's models: which screen language listens with which model, and what failed."""

    store: ModelStore
    listen_as: dict[str, str]  # screen language -> listening language (lexicon and model)
    missing: dict[str, str]  # screen language -> why it is touch-only
    broken: dict[str, str] = field(default_factory=dict)  # listening language -> load failure
    listenings: dict[str, OpenListening] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # languages whose words were checked
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class OpenListening:
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


def recognition(app: Flask | None = None) -> Recognition:
    """The process's recognition state, made on first use (it opens no model)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    state = app.extensions.get(EXTENSION)
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
    state = Recognition(ModelStore(paths), listen_as, missing)
    return app.extensions.setdefault(EXTENSION, state)  # type: ignore[no-any-return]


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


def check_step(lang: str) -> Step:
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


def load_and_check(state: Recognition, listen_lang: str) -> bool:
    """Load one language's model and report, once, the grammar words it lacks."""
    try:
        missing = state.store.missing_words(build_grammar(check_step(listen_lang)))
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
                load_and_check(state, listen_lang)


def start(app: Flask) -> None:
    """Load the models in the background once the worker runs (after gunicorn's fork)."""
    recognition(app)
    threading.Thread(target=load_models, args=(app,), name="speech-models", daemon=True).start()


def offered() -> bool:
    """Whether this screen offers "Parler": a model for its language, and a microphone that is
    not the video call's (there the doctor's voice must never touch the kiosk's buttons)."""
    return request.blueprint not in VIDEO_BLUEPRINTS and available(current_language())
