"""The appointment the person proved at the kiosk (by its code, its QR code or the card), and
who acts on it."""

from __future__ import annotations

from flask import session
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.booking.service import LIVE_STATUSES
from kiosk.booking.words import slot_words
from kiosk.core.clock import site_tz, today
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Slot
from kiosk.security.sessions import KioskServerSession
from kiosk.visit import state as visit_state
from kiosk.visit.assist import visit_actor


def actor() -> str:
    visit = session._get_current_object()  # type: ignore[attr-defined]
    assert isinstance(visit, KioskServerSession)
    return visit_actor(visit)  # the person, or their helper in assisted mode

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

def current() -> Appointment | None:
    code_ = visit_state.load().appointment.code
    appointment = load(code_) if code_ else None
    if appointment is None or appointment.status not in LIVE_STATUSES:
        return None
    return appointment
