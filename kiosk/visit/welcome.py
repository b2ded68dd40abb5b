"""The welcome screen, the start of each journey, and the Aide (help) screen."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from kiosk.core.redirects import safe_target
from kiosk.visit import state as visit_state
from kiosk.visit.help_calls import call_staff
from kiosk.visit.screens import redirect_to, render_screen, requires_visit

bp = Blueprint("welcome", __name__)

# The choices of the welcome screen besides Aide: (journey key, icon, word).
CHOICES: tuple[tuple[str, str, Any], ...] = (
    ("booking", "calendar", _l("Prendre rendez-vous")),
    ("appointment", "ticket", _l("J'ai un rendez-vous")),
    ("vitals", "heart", _l("Mesurer ma tension")),
)

# Each journey's first screen.
JOURNEY_STARTS = {
    "booking": "booking.start",
    "appointment": "appointment.start",
    "vitals": "vitals.start",
}

NOTICES = {
    "ended": _l("Au revoir. Tout ce que vous avez fait ici est effacé."),
    "timeout": _l("Personne n'a répondu. Tout est effacé pour la personne suivante."),
    "expired": _l("Cette page n'était plus valable. Vous pouvez recommencer."),
    "card_removed": _l("Vous avez retiré votre carte. Tout est effacé."),
}


@bp.get("/")
def index() -> str:
    """Four big choices, each an icon and a word."""
    notice = NOTICES.get(request.args.get("notice", ""), "")
    return render_screen(
        "welcome/index.html", choices=CHOICES, status=str(notice), notice=str(notice)
    )


@bp.post("/start")
def start() -> Response:
    """Begin a journey chosen on the welcome screen."""
    journey = request.form.get("journey", "")
    if journey not in {key for key, _icon, _word in CHOICES}:
        abort(400)
    visit_state.update(journey=journey)
    return redirect_to(JOURNEY_STARTS[journey])


@bp.post("/help")
def ask_help() -> Response:
    """'Aide': tell the staff someone needs them, then say so on screen."""
    came_from = safe_target(request.form.get("next"))
    visit_state.update(help_from=came_from)
    call_staff(came_from)
    return redirect_to("welcome.help_called")


@bp.get("/help")
@requires_visit
def help_called() -> str:
    """Reassure the person that someone is coming."""
    return render_screen(
        "welcome/help.html",
        back=safe_target(visit_state.load().help_from),
        status=_("Nous avons appelé le pharmacien."),
    )
