"""The appointment the person proved at the kiosk, and who acts on it (SECURITY.md item 23).

The ticket in hand (its code typed, or its QR code scanned) proves nothing personal: the card
in the slot, the birth date typed, or a helper in assisted mode prove the person. Only then
does ``current()`` return the appointment; the name, cancelling, moving, checking in, the call
and the doctor's note all go through it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.booking.service import LIVE_STATUSES
from kiosk.booking.words import slot_words
from kiosk.core.clock import site_tz, today
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Slot
from kiosk.security.sessions import current_visit
from kiosk.visit import state as visit_state
from kiosk.visit.assist import still_accepted, visit_actor


def actor() -> str:
    """Who acts on the appointment: the person, or their helper in assisted mode."""
    return visit_actor(current_visit())


def load(code: str) -> Appointment | None:
    with get_db().read() as db:
        return db.scalars(select(Appointment).options(
            joinedload(Appointment.slot).joinedload(Slot.practitioner),
            joinedload(Appointment.patient)).where(Appointment.code == code)).first()

def when(appointment: Appointment, *, printed: bool = False) -> str:
    """ "Demain à 9 h 00 avec …" on screen; ``printed``: "Jeudi 3 décembre à 9 h 00 avec …"."""
    slot = appointment.slot
    return slot_words(slot.starts_at, slot.practitioner, today(),
                      slot.starts_at.astimezone(site_tz()).date(), printed=printed)

def by_token(token: str) -> Appointment | None:
    with get_db().read() as db:
        return db.scalars(select(Appointment).options(
            joinedload(Appointment.slot).joinedload(Slot.practitioner),
            joinedload(Appointment.patient)).where(Appointment.ticket_token == token)).first()


def claimed() -> Appointment | None:
    """The live appointment the ticket in hand names, if any: not proven yet. The query runs
    whatever the ticket holds, so an unknown one takes as long as a real one."""
    ticket = visit_state.load().appointment.ticket or ""
    if ticket.startswith("token:"):
        appointment = by_token(ticket.removeprefix("token:"))
    else:
        appointment = load(ticket)
    if appointment is None or appointment.status not in LIVE_STATUSES:
        return None
    return appointment


def helped() -> bool:
    """A staff member helps in assisted mode, with the person's yes: that proves the person."""
    helper = visit_state.load().assist
    if not isinstance(helper, dict) or not isinstance(helper.get("consent"), int):
        return False
    return still_accepted(get_db(), helper["consent"])


def current() -> Appointment | None:
    """The appointment the person proved, if it is still live; None before the second proof."""
    proven = visit_state.load().appointment
    appointment = load(proven.code) if proven.code else None
    if appointment is None or appointment.status not in LIVE_STATUSES:
        return None
    return appointment if proven.proves(appointment.code) else None


def proven_id() -> int | None:
    """The id of the appointment the person proved, whatever its status now: the doctor's note
    is read after the consultation is over."""
    proven = visit_state.load().appointment
    appointment = load(proven.code) if proven.code else None
    return appointment.id if appointment is not None and proven.proves(appointment.code) \
        else None
