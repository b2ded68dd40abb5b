"""Checking in for a video consultation: when it may start, and starting it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import request
from werkzeug.wrappers import Response

from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, AuditEvent, utcnow
from kiosk.devices.service import state as device_state
from kiosk.security.sessions import current_visit
from kiosk.visit import state as visit_state
from kiosk.visit.assist import visit_actor
from kiosk.visit.screens import is_partial, redirect_to
from kiosk.visit.state import ConsultProgress

# A consultation can start from this long before its time until LATE after it.
EARLY = timedelta(minutes=30)

LATE = timedelta(hours=1)

LIVE = ("booked", "checked-in", "arrived")

def consult_state() -> ConsultProgress:
    """A copy of the consultation's progress in this visit; ``save_state`` keeps it."""
    return visit_state.consult_progress()

def save_state(state: ConsultProgress) -> None:
    visit_state.update(consult=state)

def can_start(appointment: Appointment, now: datetime) -> bool:
    """Today, live, and from EARLY before its time until LATE after it."""
    starts = appointment.slot.starts_at
    return (appointment.status in LIVE and starts - EARLY <= now <= starts + LATE
            and starts.astimezone(site_tz()).date() == now.astimezone(site_tz()).date())

def full_page(endpoint: str, **values: Any) -> Response:
    """Go to a screen with a whole page load: the video screens need call.js and their own
    security policy, which a swap inside another page would not bring."""
    from flask import url_for

    url = url_for(endpoint, **values)
    if is_partial() or request.headers.get("HX-Request"):
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect_to(endpoint, **values)

def set_status(appointment_id: int, status: str, from_statuses: tuple[str, ...]) -> None:
    now = utcnow()
    with get_db().write() as db:
        appointment = db.get(Appointment, appointment_id)
        if appointment is not None and appointment.status in from_statuses:
            appointment.status = status
            db.add(AuditEvent(at=now, actor=visit_actor(current_visit()),
                              action=f"appointment.{status}",
                              subject_ref=f"appointment:{appointment_id}"))

def begin(appointment: Appointment) -> Response:
    """Check in (called from the appointment screen once the code or the card proved it)."""
    if not can_start(appointment, utcnow()):
        return redirect_to("appointment.view")
    set_status(appointment.id, "checked-in", ("booked",))
    save_state(ConsultProgress(id=appointment.id))
    visit_state.update(journey=visit_state.load().journey or "consult")
    if device_state("bp") == "ok":
        return full_page("consult.vitals_offer")
    return full_page("consult.consent")
