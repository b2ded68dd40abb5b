"""The result in words and numbers, the problems, and printing the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.booking.words import moment_words
from kiosk.core.records import utcnow
from kiosk.core.site import site_name
from kiosk.devices.printing import print_ticket
from kiosk.visit import pages
from kiosk.visit import state as visit_state
from kiosk.visit.screens import redirect_to, render_screen, requires_visit
from kiosk.vitals.blueprint import bp
from kiosk.vitals.classify import assess
from kiosk.vitals.problems import PROBLEMS
from peripherals.models import Ticket

# After this many failed measurements, the way forward is the pharmacist.
FAILURES_BEFORE_HELP = 2


@bp.get("/result")
@requires_visit
def result() -> Any:
    """Numbers, large; the category in words; what to do. Never colour alone."""
    state = visit_state.vitals_progress()
    if not state.result:
        return redirect_to("vitals.start")
    systolic, diastolic, pulse = state.result
    verdict = assess(systolic, diastolic)
    part = pages.parts_page(3)  # with larger text: the numbers, what to do, the ticket
    return render_screen("vitals/result.html", part=part, back=part.previous,
                         systolic=systolic, diastolic=diastolic,
                         pulse=pulse, verdict=verdict, shared=bool(state.shared),
                         printed=state.printed, status=_("La mesure est finie."),
                         noticed=state.noticed or {},
                         before_consult=visit_state.load().consult is not None)


@bp.post("/print")
@requires_visit
def print_result() -> Response:
    """Print the result on a ticket for the person to keep."""
    state = visit_state.vitals_progress()
    if not state.result:
        return redirect_to("vitals.start")
    systolic, diastolic, pulse = state.result
    verdict = assess(systolic, diastolic)
    # Paper is read later: the day and time of the measurement, never "aujourd'hui".
    taken = state.taken_at
    when = moment_words(datetime.fromisoformat(taken) if taken else utcnow())
    ticket = Ticket(site=site_name(), when=when, code="", qr_payload="",
                    lines=(_("Tension artérielle"), f"{systolic} / {diastolic} mmHg",
                           _("Pouls : %(n)s", n=pulse), verdict.words, verdict.advice))
    printed = print_ticket(ticket).kind
    state.printed = printed
    visit_state.update(vitals=state)
    return redirect_to("vitals.result")


@bp.get("/problem")
@requires_visit
def problem() -> str:
    """A plain sentence, a picture when it helps, and a way forward."""
    chosen = PROBLEMS.get(request.args.get("what", ""), PROBLEMS["other"])
    failures = visit_state.vitals_progress().failures
    need_help = failures >= FAILURES_BEFORE_HELP or chosen.key == "unavailable"
    lines = [str(chosen.advice)]
    if need_help:
        lines.append(_("Le pharmacien peut vous aider. Appuyez sur Aide."))
    options = []
    if chosen.key != "unavailable":
        options.append({"value": "again", "icon": "replay", "word": _("Réessayer")})
    return render_screen("vitals/problem.html", question=str(chosen.sentence), lines=lines,
                         picture=chosen.picture, options=options, name="go",
                         action=chosen.retry_at, back="/vitals/", need_help=need_help)
