"""Proving an appointment, the steps the code screens (``views``) and the second proof's screens
(``second``) share: the ticket in hand, the one answer to a wrong try, the person proven.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.appointment import guessing, proof
from kiosk.appointment.blueprint import STEPS
from kiosk.booking.codes import ALPHABET
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, utcnow
from kiosk.security.sessions import current_visit
from kiosk.visit import state as visit_state
from kiosk.visit.help_calls import call_staff
from kiosk.visit.screens import redirect_to, render_screen


def wrong() -> str:
    """The one answer to an unknown code, a cancelled one and a proof that does not match."""
    return _("Le code ou la date de naissance ne correspond pas. Vérifiez et recommencez.")


def proven(code: str, *, by_card: bool = False) -> None:
    """The person is proven: the appointment with this code is theirs for this visit."""
    visit_state.update_appointment(code=code, by_card=by_card, proof=visit_state.PROVEN,
                                   ticket=None, born=None, typed=None)


def closed() -> Response | None:
    """Where to go instead of entering a code: the visit has had too many tries, or code entry
    is paused for the unit. None when a code may be entered."""
    if (visit_state.load().appointment.tries or 0) >= guessing.VISIT_LIMIT:
        return redirect_to("appointment.too_many")
    if guessing.paused_until(get_db(), utcnow()) is not None:
        return redirect_to("appointment.paused")
    return None


def ticket_in_hand(ticket: str) -> Any:
    """A code typed, or ``token:<token>`` scanned: the second proof comes next, whatever it is.
    With a helper (no second proof), the appointment or the one answer to a wrong try."""
    visit_state.update_appointment(ticket=ticket, proof=visit_state.TICKET, code=None,
                                   born=None, typed=None)
    if proof.helped():  # a staff member stands beside the person, who said yes
        appointment = proof.claimed()
        return open_proven(appointment) if appointment is not None else refuse()
    return redirect_to("appointment.prove")


def open_proven(appointment: Appointment, *, by_card: bool = False) -> Response:
    proven(appointment.code, by_card=by_card)
    return redirect_to("appointment.view")


def refuse() -> Any:
    """One refused try: counted for the visit and the unit, journaled without the code. The
    same answer whatever was wrong; the third in a visit calls staff."""
    tries = (visit_state.load().appointment.tries or 0) + 1
    visit_state.update_appointment(tries=tries, ticket=None, proof=None, born=None, typed=None,
                                   code=None)
    now = utcnow()
    ref = current_visit().give_id(now)
    paused = guessing.refused(get_db(), proof.actor(), ref, now)
    if tries >= guessing.VISIT_LIMIT:
        guessing.stopped_visit(get_db(), proof.actor(), ref, now)
        call_staff("/appointment/too-many")
        return redirect_to("appointment.too_many")
    if paused:
        return redirect_to("appointment.paused")
    return code_screen(wrong())


def code_screen(error: str = "") -> str:
    """The code keypad: typing the code on the ticket."""
    return render_screen("booking/keypad.html", step=1, total=STEPS,
                         question=_("Quel est le code de votre rendez-vous ?"),
                         hint=_("Il a 6 signes. Il est écrit sur votre ticket."),
                         value=(visit_state.load().appointment.typed or ""), keys=list(ALPHABET),
                         kind="letters", action="/appointment/code", error=error,
                         back="/appointment/")
