"""What the portal reads and changes: one doctor's appointments, their details, their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kiosk.booking.service import Clinical, clinical_of
from kiosk.consult.signals import CALLABLE, close
from kiosk.core.clock import day_bounds
from kiosk.core.db import Database
from kiosk.core.records import Appointment, AuditEvent, Measurement, Patient, Slot
from kiosk.security.vault import Vault
from kiosk.vitals.measurements import Result, load

# What the doctor may set from the appointment page, and the statuses it may change.
FINAL_STATUSES = ("fulfilled", "noshow")
CHANGEABLE = ("booked", "checked-in", "arrived", "fulfilled", "noshow")


class NotFound(Exception):
    """No appointment with this id belongs to this doctor."""


class NotChangeable(Exception):
    """The appointment is cancelled: its status stays."""


class AlreadyMarked(Exception):
    """The appointment already has the status asked for (a page left open, a second click)."""


def shown_status(status: str, on_call: bool) -> str:
    """The state the doctor reads: "in-call" while the call is on (not a stored status: the
    doctor has rung and nobody has hung up yet), else the stored one."""
    return "in-call" if on_call and status in CALLABLE else status


def offered_statuses(status: str) -> tuple[str, ...]:
    """The final statuses the page offers for a (shown) status: never the one it has, and
    never "absent" while the doctor is talking to the patient."""
    if status not in (*CHANGEABLE, "in-call"):
        return ()
    return tuple(s for s in FINAL_STATUSES
                 if s != status and not (status == "in-call" and s == "noshow"))


@dataclass(frozen=True)
class Reading:
    """A blood-pressure result attached to the appointment, decrypted for the page."""

    taken_at: datetime
    result: Result


@dataclass(frozen=True)
class Details:
    """Everything the appointment page shows."""

    appointment: Appointment
    patient: Patient
    clinical: Clinical
    readings: list[Reading]


def day_list(
    database: Database, practitioner_id: int, day: date, tz: ZoneInfo
) -> list[Appointment]:
    """The practitioner's appointments of the local ``day`` that are not cancelled, by time."""
    start, end = day_bounds(day, tz)
    with database.read() as db:
        rows = db.scalars(
            select(Appointment)
            .join(Slot, Appointment.slot_id == Slot.id)
            .where(
                Slot.practitioner_id == practitioner_id,
                Slot.starts_at >= start,
                Slot.starts_at < end,
                Appointment.status != "cancelled",
            )
            .options(joinedload(Appointment.slot), joinedload(Appointment.patient))
            .order_by(Slot.starts_at)
        )
        return list(rows)


def own_appointment(db: Session, appointment_id: int, practitioner_id: int) -> Appointment:
    """The appointment if it is this practitioner's, else NotFound (never someone else's)."""
    appointment = db.scalar(
        select(Appointment)
        .join(Slot, Appointment.slot_id == Slot.id)
        .where(Appointment.id == appointment_id, Slot.practitioner_id == practitioner_id)
        .options(joinedload(Appointment.slot), joinedload(Appointment.patient))
    )
    if appointment is None:
        raise NotFound(appointment_id)
    return appointment


def _details(db: Session, vault: Vault, appointment_id: int, practitioner_id: int) -> Details:
    appointment = own_appointment(db, appointment_id, practitioner_id)
    measurements = db.scalars(
        select(Measurement)
        .where(Measurement.appointment_id == appointment.id)
        .order_by(Measurement.taken_at)
    )
    readings = [Reading(m.taken_at, load(m, vault)) for m in measurements]
    return Details(appointment, appointment.patient, clinical_of(appointment, vault), readings)


def details(
    database: Database, vault: Vault, appointment_id: int, practitioner_id: int,
    actor: str, now: datetime,
) -> Details:
    """The appointment page's data; the viewing is written to the audit journal."""
    with database.write() as db:
        found = _details(db, vault, appointment_id, practitioner_id)
        db.add(AuditEvent(at=now, actor=actor, action="doctor.viewed_appointment",
                          subject_ref=found.patient.pseudonym))
    return found


def readings_only(
    database: Database, vault: Vault, appointment_id: int, practitioner_id: int
) -> Details:
    """The same data without an audit row: the open page polls it for new readings."""
    with database.read() as db:
        return _details(db, vault, appointment_id, practitioner_id)


def set_status(
    database: Database, appointment_id: int, practitioner_id: int, status: str,
    actor: str, now: datetime,
) -> None:
    """Mark the doctor's appointment done or no-show, with its audit row, in one transaction.

    Raises NotChangeable for a cancelled appointment, AlreadyMarked if it has that status."""
    if status not in FINAL_STATUSES:
        raise ValueError(status)
    with database.write() as db:
        appointment = own_appointment(db, appointment_id, practitioner_id)
        if appointment.status not in CHANGEABLE:
            raise NotChangeable(appointment_id)
        if appointment.status == status:
            raise AlreadyMarked(appointment_id)  # nothing changes, nothing is journaled
        appointment.status = status
        db.add(AuditEvent(at=now, actor=actor, action=f"appointment.{status}",
                          subject_ref=appointment.patient.pseudonym))
        # The call is over: nothing of it stays but the goodbye the kiosk needs to hear.
        close(db, appointment.id, "doctor", now, actor=actor)
