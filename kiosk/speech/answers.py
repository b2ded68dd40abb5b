"""What a spoken answer means on a screen: the grammar to listen for, and what the browser does
for each intent (touch a control, read back first, type a code, or say it again).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from kiosk.core.i18n import current_language
from kiosk.speech.choice_words import keywords as keywords_for
from kiosk.speech.rate import RATE_STEP, change_rate, speech_rate
from kiosk.speech.recognition import OpenListening
from kiosk.speech.rendering import service
from voice.errors import SpeechError
from voice.grammar import Grammar, Step, build_grammar
from voice.intents import Intent
from voice.lexicon import lexicon
from voice.screen import asks_yes_no, shows_time
from voice.spoken import normalise

log = logging.getLogger(__name__)

MISSES_BEFORE_BUTTONS = 2
# What the browser is told to do (``decide``).
Answer = dict[str, Any]
# Commands the browser carries out itself, each by touching a visible control.
BROWSER_COMMANDS = {"help", "back", "repeat", "louder", "quieter"}


# -- what the words mean on this screen --------------------------------------------------------


@lru_cache(maxsize=64)
def grammar_for(step: Step) -> Grammar:
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


def say(text: str) -> str | None:
    """The URL of ``text`` spoken at the visit's rate, or None without speech."""

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
    return {"do": do, "text": text, "speech": say(text), **extra}


def _confirm(target: int | str, label: str) -> dict[str, Any]:
    text = " ".join((_("Vous avez choisi : %(label)s.", label=label),
                     _("C'est bien ça ? Dites oui ou non.")))
    return _spoken("confirm", text, target=target)


def _retry_text() -> str:
    return " ".join((_("Pardon, je n'ai pas compris."), _("Répétez, s'il vous plaît.")))


def _buttons_text() -> str:
    return " ".join((_("Je n'ai pas compris deux fois."), _("Touchez un bouton, s'il vous plaît.")))


def timeout_text() -> str:
    seconds = current_app.config["KIOSK"]["warning_seconds"]
    return " ".join((_("Êtes-vous toujours là ?"), _("Sans réponse, tout sera effacé dans"),
                     str(seconds), _("secondes."), _("Touchez « Plus de temps ».")))


def prerender_prompts() -> int:
    """Render the fixed voice prompts of the current language ahead of time (`kiosk speech
    prerender`); returns how many were rendered."""
    return sum(say(text) is not None for text in (_retry_text(), _buttons_text(),
                                                   timeout_text()))


def _misunderstood(opened: OpenListening) -> dict[str, Any]:
    if opened.misses + 1 >= MISSES_BEFORE_BUTTONS:
        return _spoken("buttons", _buttons_text())
    return _spoken("retry", _retry_text())


def _command(intent: Intent, *names: str) -> bool:
    return intent.kind == "command" and intent.name in names


def _chosen(intent: Intent, opened: OpenListening) -> int | None:
    """The index of the choice said, when it is one the screen shows."""
    index = intent.index if intent.kind == "choice" else None
    return index if index is not None and 0 <= index < len(opened.labels) else None


def _new_rate(intent: Intent, _opened: OpenListening) -> Answer:
    change_rate(-RATE_STEP if intent.name == "slower" else RATE_STEP)
    return {"do": "refresh"}


def _date_said(intent: Intent, _opened: OpenListening) -> Answer:
    assert intent.year and intent.month and intent.day  # the rule checked it
    return {"do": "date", "date": dt.date(intent.year, intent.month, intent.day).isoformat()}


def _read_back(intent: Intent, opened: OpenListening) -> Answer:
    index = _chosen(intent, opened)
    assert index is not None  # the rule checked it
    return _confirm(index, opened.labels[index])


@dataclass(frozen=True)
class Rule:
    """One case of ``decide``: when it applies, and what the browser does then."""

    says: str
    applies: Callable[[Intent, OpenListening], bool]
    answer: Callable[[Intent, OpenListening], Answer]


# In order: the first rule that applies answers. During a read-back (``confirm_mode``) only an
# answer, the rate, and the browser's own commands are understood.
RULES = (
    Rule("a yes or a no answers the read-back",
         lambda i, o: o.confirm_mode and i.kind in ("yes", "no"),
         lambda i, _o: {"do": i.kind}),
    Rule("Annuler or Retour during a read-back means no",
         lambda i, o: o.confirm_mode and _command(i, "cancel", "back"),
         lambda _i, _o: {"do": "no"}),
    Rule("slower or faster changes the rate, and the screen speaks again",
         lambda i, _o: _command(i, "slower", "faster"),
         _new_rate),
    Rule("help, back, repeat, louder, quieter: the browser touches that control",
         lambda i, _o: _command(i, *BROWSER_COMMANDS),
         lambda i, _o: {"do": "activate", "target": i.name}),
    Rule("anything else during a read-back is not understood",
         lambda _i, o: o.confirm_mode,
         lambda _i, o: _misunderstood(o)),
    Rule("Annuler ends the visit, after a read-back",
         lambda i, _o: _command(i, "cancel"),
         lambda _i, _o: _confirm("end", _("Terminer"))),
    Rule("a code where the screen has a keypad is typed on it",
         lambda i, o: i.kind == "code" and o.step.code and bool(i.code),
         lambda i, _o: {"do": "code", "code": i.code}),
    Rule("a whole date where the screen asks for one fills it",
         lambda i, o: i.kind == "date" and o.step.years and bool(i.year and i.month and i.day),
         _date_said),
    Rule("a choice hard to undo is read back first",
         lambda i, o: (index := _chosen(i, o)) is not None and o.confirms[index],
         _read_back),
    Rule("a choice the screen shows is touched",
         lambda i, o: _chosen(i, o) is not None,
         lambda i, o: {"do": "activate", "target": _chosen(i, o)}),
)


def decide(intent: Intent, opened: OpenListening) -> Answer:
    """What the browser does for ``intent``: which control to touch, or what to say.

    ``activate`` (target: choice index or a named control), ``confirm`` (read back first: the
    target is hard to undo), ``yes``/``no`` (answer to a read-back), ``refresh`` (the rate
    changed: the screen speaks again), ``code`` (type it on the keypad), ``date`` (a whole
    date said where the screen asks for one: listen.js fills its ``[data-voice-date]`` field),
    ``retry`` and ``buttons`` (after the second misunderstanding: touch a button). A yes or a
    no selects the Oui / Non choice in the matcher already; said elsewhere, it is not an answer.
    The cases are ``RULES``, in order; what none of them understands is said again.
    """
    for rule in RULES:
        if rule.applies(intent, opened):
            return rule.answer(intent, opened)
    return _misunderstood(opened)
