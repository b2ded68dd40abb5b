"""Languages: every string goes through flask-babel; French is the source language.

Message ids are the easy-to-read French sentences themselves, so the French screen never depends
on a catalogue and translators see the words the person sees.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import Babel

from kiosk.visit import state as visit_state

# Each language named in itself (ACCESSIBILITY.md item 17).
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}



def current_language() -> str:
    """The language of this visit: chosen on screen, else the site's first language."""
    languages: list[str] = current_app.config["KIOSK"]["languages"]
    chosen = visit_state.load().lang
    return chosen if chosen in languages else languages[0]


def init_app(app: Flask) -> None:
    """Attach flask-babel with the visit's language as the locale."""
    unknown = [code for code in app.config["KIOSK"]["languages"] if code not in LANGUAGE_NAMES]
    if unknown:
        raise ValueError(f"no translation for languages {unknown}; known: {list(LANGUAGE_NAMES)}")
    Babel(app, locale_selector=current_language)
