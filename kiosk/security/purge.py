"""Retention (SECURITY.md items 17 and 18), run daily by `kiosk purge` (kiosk-purge.timer).

- Visits: a visit's own results go when it ends; this also removes visit records that outlived
  the absolute limit (a kiosk switched off mid-visit never ended them).
- Appointments past ``retention_days`` after their time go, with their patient (unless the
  patient has a more recent appointment) and their measurements.
- The audit journal keeps ``audit_retention_days``, and so do assisted-mode consents; help
  requests are kept 30 days.
- A video call's signalling and chat go when it ends; leftovers (a kiosk switched off mid-call)
  go here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select, true, update

from kiosk.consult.signals import purge_leftovers
from kiosk.core.db import Database
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


def purge(database: Database, settings: dict[str, Any], now: datetime) -> PurgeReport:
    """Delete everything past its retention, in one transaction, and audit that it ran."""
    stale_visit = now - timedelta(seconds=settings["absolute_seconds"])
    old_appointment = now - timedelta(days=settings["retention_days"])
    old_audit = now - timedelta(days=settings["audit_retention_days"])
    with database.write() as db:
        sessions = db.execute(
            delete(KioskSession).where(KioskSession.created_at < stale_visit)
        ).rowcount
        expired = select(Appointment.id).join(Slot).where(Slot.ends_at < old_appointment)
        expired_ids = list(db.scalars(expired))
        measurements = (
            db.execute(
                delete(Measurement).where(Measurement.appointment_id.in_(expired_ids))
            ).rowcount
            if expired_ids
            else 0
        )
        patient_ids = (
            list(db.scalars(select(Appointment.patient_id).where(Appointment.id.in_(expired_ids))))
            if expired_ids
            else []
        )
        appointments = (
            db.execute(delete(Appointment).where(Appointment.id.in_(expired_ids))).rowcount
            if expired_ids
            else 0
        )
        still_needed = exists().where(Appointment.patient_id == Patient.id)
        patients = (
            db.execute(delete(Patient).where(Patient.id.in_(patient_ids), ~still_needed)).rowcount
            if patient_ids
            else 0
        )
        purge_leftovers(db, now)  # a call's signalling and chat never outlive it
        help_requests = db.execute(
            delete(HelpRequest).where(
                HelpRequest.created_at < now - timedelta(days=HELP_REQUEST_DAYS)
            )
        ).rowcount
        # The journal's triggers refuse deleting rows above the floor: move it first (audit.py).
        move_floor(db, old_audit)
        audit_events = db.execute(delete(AuditEvent).where(AuditEvent.at < old_audit)).rowcount
        consents = db.execute(delete(Consent).where(Consent.offered_at < old_audit)).rowcount
        # A consent ends with its visit; a visit removed above (never ended) ends its own here.
        live = {row[:12] for row in db.scalars(select(KioskSession.id_hash))}
        db.execute(update(Consent)
                   .where(Consent.state.in_(("offered", "accepted")),
                          Consent.visit_ref.not_in(live) if live else true())
                   .values(state="ended", ended_at=now))
        db.add(AuditEvent(at=now, actor="system:purge", action="retention.purged", subject_ref=""))
    return PurgeReport(
        sessions or 0,
        appointments or 0,
        patients or 0,
        measurements or 0,
        audit_events or 0,
        help_requests or 0,
        consents or 0,
    )
