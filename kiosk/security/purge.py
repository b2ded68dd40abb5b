"""Retention (SECURITY.md items 17 and 18), run daily by `kiosk purge` (kiosk-purge.timer).

- Visits: a visit's own results go when it ends; this also ends visit records that outlived
  the absolute limit (a kiosk switched off mid-visit never ended them), through the same
  end-of-visit clean-ups a visit end runs (``end_visit``: the session store's end hooks).
- A blood-pressure result attached to no appointment and belonging to no live visit goes
  (a crash between measuring and the visit's end, or one sent through the API).
- A patient with no appointment goes once ``retention_days`` have passed since it was
  created (a patient created through the API and never booked, or left by a cancellation).
- Appointments past ``retention_days`` after their time go, with their patient (unless the
  patient has a more recent appointment) and their measurements.
- The audit journal keeps ``audit_retention_days``, and so do assisted-mode consents; help
  requests are kept 30 days.
- A video call's signalling and chat go when it ends; leftovers (a kiosk switched off mid-call)
  go here.
- Refused tries at a code (SECURITY.md item 24) go once they no longer count (after the hour),
  and pauses of code entry once they are over (``guessing.purge_old``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select, true, update

from kiosk.appointment import guessing
from kiosk.consult.signals import purge_leftovers
from kiosk.core.db import Database, changed_rows
from kiosk.core.records import (
    Appointment,
    AuditEvent,
    Consent,
    HelpRequest,
    KioskSession,
    Measurement,
    Patient,
    Slot,
)
from kiosk.security.audit import move_floor

HELP_REQUEST_DAYS = 30


@dataclass(frozen=True)
class PurgeReport:
    """How many rows of each kind were deleted."""

    sessions: int
    appointments: int
    patients: int
    measurements: int
    audit_events: int
    help_requests: int
    consents: int = 0
    code_guesses: int = 0
    code_pauses: int = 0


def purge(database: Database, settings: dict[str, Any], now: datetime,
          end_visit: Callable[[str], None] | None = None) -> PurgeReport:
    """Delete everything past its retention and audit that it ran.

    Stale visits are deleted first, then ``end_visit(ref)`` runs for each (what a visit end
    runs); the rest goes in one transaction."""
    stale_visit = now - timedelta(seconds=settings["absolute_seconds"])
    old_appointment = now - timedelta(days=settings["retention_days"])
    old_audit = now - timedelta(days=settings["audit_retention_days"])
    with database.write() as db:
        stale = list(db.scalars(select(KioskSession.id_hash)
                                .where(KioskSession.created_at < stale_visit)))
        sessions = changed_rows(
            db, delete(KioskSession).where(KioskSession.id_hash.in_(stale))
        ) if stale else 0
    for id_hash in stale:
        if end_visit is not None:
            end_visit(id_hash[:12])
    with database.write() as db:
        live = {row[:12] for row in db.scalars(select(KioskSession.id_hash))}
        expired = select(Appointment.id).join(Slot).where(Slot.ends_at < old_appointment)
        expired_ids = list(db.scalars(expired))
        measurements = (
            changed_rows(db, delete(Measurement).where(Measurement.appointment_id.in_(expired_ids)))
            if expired_ids
            else 0
        )
        patient_ids = (
            list(db.scalars(select(Appointment.patient_id).where(Appointment.id.in_(expired_ids))))
            if expired_ids
            else []
        )
        appointments = (
            changed_rows(db, delete(Appointment).where(Appointment.id.in_(expired_ids)))
            if expired_ids
            else 0
        )
        # Results of no appointment and no live visit (a visit never ended, the API).
        unattached = delete(Measurement).where(Measurement.appointment_id.is_(None),
                                               Measurement.taken_at < stale_visit)
        if live:
            unattached = unattached.where(Measurement.session_ref.not_in(live))
        measurements += changed_rows(db, unattached)
        still_needed = exists().where(Appointment.patient_id == Patient.id)
        patients = (
            changed_rows(db, delete(Patient).where(Patient.id.in_(patient_ids), ~still_needed))
            if patient_ids
            else 0
        )
        # Patients never booked (created through the API) or left without an appointment.
        patients += changed_rows(db, delete(Patient).where(
            Patient.created_at < old_appointment, ~still_needed))
        purge_leftovers(db, now)  # a call's signalling and chat never outlive it
        code_guesses, code_pauses = guessing.purge_old(db, now)
        help_requests = changed_rows(db, delete(HelpRequest).where(
            HelpRequest.created_at < now - timedelta(days=HELP_REQUEST_DAYS)))
        # The journal's triggers refuse deleting rows above the floor: move it first (audit.py).
        move_floor(db, old_audit)
        audit_events = changed_rows(db, delete(AuditEvent).where(AuditEvent.at < old_audit))
        consents = changed_rows(db, delete(Consent).where(Consent.offered_at < old_audit))
        # A consent ends with its visit; a visit removed above (never ended) ends its own here.
        db.execute(update(Consent)
                   .where(Consent.state.in_(("offered", "accepted")),
                          Consent.visit_ref.not_in(live) if live else true())
                   .values(state="ended", ended_at=now))
        db.add(AuditEvent(at=now, actor="system:purge", action="retention.purged", subject_ref=""))
    return PurgeReport(sessions, appointments, patients, measurements, audit_events,
                       help_requests, consents, code_guesses, code_pauses)
