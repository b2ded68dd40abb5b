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
- What an area leaves behind and registers here (``on_purge``, from its ``init_app``) goes in
  the same transaction: a video call's signalling and chat, say, go when the call ends, and
  their leftovers (a kiosk switched off mid-call) go here; refused tries at a code (SECURITY.md
  item 24) go once they no longer count (after the hour), and pauses of code entry once they
  are over.

``purge_app`` is what `kiosk purge` runs: ``purge`` with the app's end-of-visit hooks and the
sweeps the areas registered. Security stands below the areas: it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, exists, select, true, update
from sqlalchemy.orm import Session

from kiosk.core.db import Database, changed_rows, get_db
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
from kiosk.security.sessions import interface

HELP_REQUEST_DAYS = 30

# An area's own clean-up, run inside the purge's transaction at ``now``. It may return how many
# rows of each kind it deleted, named for the report (``PurgeReport.swept``).
Sweep = Callable[[Session, datetime], Mapping[str, int] | None]
_SWEEPS = "kiosk_purge_sweeps"


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
    # What the areas' sweeps deleted, by the kind they name ("code_guesses": 20, say).
    swept: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Every kind and how many went, the areas' after the purge's own."""
        own = {name: count for name, count in vars(self).items() if name != "swept"}
        return {**own, **self.swept}


def on_purge(app: Flask, sweep: Sweep) -> None:
    """Register an area's clean-up: every purge of ``app`` runs it (``purge_app``)."""
    sweeps: list[Sweep] = app.extensions.setdefault(_SWEEPS, [])
    sweeps.append(sweep)


def purge_app(app: Flask, now: datetime) -> PurgeReport:
    """The daily purge of ``app`` (`kiosk purge`): ``purge`` with what a visit end runs and
    the areas' sweeps."""
    return purge(get_db(app), app.config["KIOSK"], now,
                 end_visit=interface(app).run_end_hooks, sweeps=app.extensions.get(_SWEEPS, ()))


def purge(database: Database, settings: dict[str, Any], now: datetime,
          end_visit: Callable[[str], None] | None = None,
          sweeps: Sequence[Sweep] = ()) -> PurgeReport:
    """Delete everything past its retention and audit that it ran.

    Stale visits are deleted first, then ``end_visit(ref)`` runs for each (what a visit end
    runs); the rest goes in one transaction, with each of ``sweeps``."""
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
        swept: dict[str, int] = {}
        for sweep in sweeps:  # the areas' own leftovers (a call's signalling and chat...)
            swept.update(sweep(db, now) or {})
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
                       help_requests, consents, swept)
