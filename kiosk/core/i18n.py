"""Languages: every string goes through flask-babel; French is the source language.

Message ids are the easy-to-read French sentences themselves, so the French screen never depends
on a catalogue and translators see the words the person sees.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import Babel

# Each language named in itself (ACCESSIBILITY.md item 17).
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
_CHOSEN = "kiosk_chosen_language"



def current_language() -> str:
    """The language of this visit: chosen on screen, else the site's first language."""
    languages: list[str] = current_app.config["KIOSK"]["languages"]
    chosen_by: Callable[[], str | None] | None = current_app.extensions.get(_CHOSEN)
    chosen = chosen_by() if chosen_by is not None else None
    return chosen if chosen in languages else languages[0]


def init_app(app: Flask, chosen: Callable[[], str | None]) -> None:
    """Attach flask-babel with the visit's language as the locale.

    ``chosen()`` says the language chosen on screen, if any (the visit's state: the app
    factory passes it, so that the core never reads an area's state)."""
    unknown = [code for code in app.config["KIOSK"]["languages"] if code not in LANGUAGE_NAMES]
    if unknown:
        raise ValueError(f"no translation for languages {unknown}; known: {list(LANGUAGE_NAMES)}")
    app.extensions[_CHOSEN] = chosen
    Babel(app, locale_selector=current_language)
