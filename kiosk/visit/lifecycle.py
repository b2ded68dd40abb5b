"""The persistent controls of a visit: end it, ask for more time, language, text size, volume."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.security.sessions import current_visit, interface
from kiosk.visit import state as visit_state
from kiosk.visit.screens import (
    DEFAULT_VOLUME,
    TEXT_SIZES,
    VOLUME_LEVELS,
    redirect_to,
    remembered_screen,
)

bp = Blueprint("visit", __name__, url_prefix="/visit")

END_REASONS = ("ended", "timeout")


def _back() -> Response:
    """Return to the screen the control was pressed on, with every answer kept.

    The screen the visit remembers comes first: the toolbar's own "next" field was written
    when the whole page loaded, and htmx has swapped other screens in since (ACCESSIBILITY.md
    item 28). The field still serves before a visit begins (the welcome screen)."""
    return current_app.redirect(remembered_screen(request.form.get("next")), 303)


@bp.post("/end")
def end() -> Response:
    """Wipe everything of this visit (SECURITY.md items 1 to 5) and show the welcome screen."""
    reason = request.form.get("reason", "ended")
    if reason not in END_REASONS:
        reason = "ended"
    interface(current_app).end(current_visit())
    response = redirect_to("welcome.index", notice=reason)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.post("/extend")
def extend() -> ResponseReturnValue:
    """'Plus de temps': restart the idle clock, a limited number of times."""
    visit = current_visit()
    limit = current_app.config["KIOSK"]["max_extensions"]
    if visit.extensions >= limit:
        return jsonify(
            extended=False, remaining=0, message=_("Vous ne pouvez plus demander de temps.")
        ), 409
    visit.extensions += 1
    visit.modified = True  # saving the session moves last_seen to now
    return jsonify(extended=True, remaining=limit - visit.extensions)


@bp.post("/language")
def language() -> Response:
    """Switch the language of every screen (and, later, of the voice)."""
    code = request.form.get("lang", "")
    if code not in current_app.config["KIOSK"]["languages"]:
        abort(400)
    visit_state.update(lang=code)
    return _back()


@bp.post("/text-size")
def text_size() -> Response:
    """Toggle between normal text and text twice as large."""
    current = (visit_state.load().text_size or TEXT_SIZES[0])
    visit_state.update(text_size=TEXT_SIZES[1] if current == TEXT_SIZES[0] else TEXT_SIZES[0])
    return _back()


@bp.post("/volume")
def volume() -> Response:
    """Louder or quieter speech, one level at a time."""
    step = {"up": 1, "down": -1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    level = (visit_state.load().volume or DEFAULT_VOLUME) + step
    visit_state.update(volume=min(max(level, VOLUME_LEVELS[0]), VOLUME_LEVELS[-1]))
    return _back()
