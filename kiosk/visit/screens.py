"""Rendering a patient screen as a full page, or as the htmx partial inside it.

Every step template extends ``layouts/screen.html``, which extends the full page or the bare
partial depending on ``partial`` (DESIGN.md "Screens and htmx").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Flask, current_app, redirect, render_template, request, session, url_for
from flask_htmx import HTMX
from werkzeug.wrappers import Response

from kiosk.core.i18n import LANGUAGE_NAMES, current_language
from kiosk.core.redirects import safe_target
from kiosk.speech import rendering as speech
from kiosk.visit import pages
from kiosk.visit import state as visit_state

htmx = HTMX()  # reads the request's headers; needs no app
VOLUME_LEVELS = (1, 2, 3, 4, 5)
DEFAULT_VOLUME = 4
TEXT_SIZES = (1, 2)  # normal, and 200 %
# Query arguments that are not part of where the person is: "?listen=1" says private
# details aloud on this screen only, so coming back to the screen does not repeat them.
NOT_REMEMBERED = frozenset({"listen"})

F = TypeVar("F", bound=Callable[..., Any])


def is_partial() -> bool:
    """True for an htmx swap; a history restore needs the whole page."""
    return bool(htmx) and not htmx.history_restore_request


def render_screen(
    template: str,
    *,
    step: int | None = None,
    total: int | None = None,
    back: str | None = None,
    status: str = "",
    **context: Any,
) -> str:
    """Render one patient screen. ``back`` is the Retour link; ``status`` is announced."""
    # A list of choices or keys longer than the screen comes one page at a time (item 27).
    if "options" in context:
        paged = pages.choices_page(context)
        back = paged.pop("back", back)
        context.update(paged)
    elif "keys" in context:
        context.update(pages.keys_page(context))

    if (step is None) != (total is None):
        raise ValueError("give both step and total, or neither")
    html = render_template(
        template,
        partial=is_partial(),
        step=step,
        total=total,
        back=back,
        status=status,
        speech_marker=speech.MARKER,
        **context,
    )
    return speech.attach(html, current_language(), current_app.config["KIOSK"])


def remember_screen() -> None:
    """Note which screen the visit is on: the screen just rendered by a GET, with the query
    arguments that choose what it shows. The persistent controls (text size, volume,
    language), the staff page and the assist question all come back to it. Only for a visit
    already under way (the welcome screen holds nothing), and never the assist question."""
    if not visit_state.load().journey or request.path.startswith("/assist/"):
        return
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in NOT_REMEMBERED]
    where = request.path + (f"?{urlencode(kept)}" if kept else "")
    if len(where) <= 200 and visit_state.load().screen != where:
        visit_state.update(screen=where)


def remembered_screen(fallback: object = "/") -> str:
    """The screen the visit is on (see ``remember_screen``), or ``fallback`` before any.

    Only a local path comes back (``safe_target``): never another host, whatever the session
    or the form held."""
    screen = visit_state.load().screen if visit_state.load().journey else None
    return safe_target(screen, safe_target(fallback))


def requires_visit(view: F) -> F:
    """Screens past the welcome need a visit in progress; a wiped or replayed one goes home."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not visit_state.load().journey:
            return redirect(url_for("welcome.index"), 303)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def redirect_to(endpoint: str, **values: Any) -> Response:
    """A 303 redirect, so a POST is never resubmitted by a reload or the back button."""
    return redirect(url_for(endpoint, **values), 303)


def _layout_context() -> dict[str, Any]:
    settings = current_app.config["KIOSK"]
    return {
        "lang": current_language(),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in settings["languages"]],
        "text_size": (visit_state.load().text_size or 1),
        "volume": (visit_state.load().volume or DEFAULT_VOLUME),
        "volume_max": VOLUME_LEVELS[-1],
        "engaged": session.engaged if hasattr(session, "engaged") else False,
        "idle_seconds": settings["idle_seconds"],
        "card_watch_seq": _card_seq(),
        "warning_seconds": settings["warning_seconds"],
    }


def _card_seq() -> int | None:
    """The card event count when this page is built, or None when no card reader runs."""
    watch = current_app.extensions.get("kiosk_card_watch")
    return None if watch is None else int(watch.seq)


def init_app(app: Flask) -> None:
    """Make the persistent controls' state available to every template."""
    app.context_processor(_layout_context)
