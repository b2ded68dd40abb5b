"""What the API writes: patients, bookings for a stored patient, blood-pressure readings, and
audit rows for reads.

``book_for_patient`` is ``kiosk.booking.service.book`` for a patient who already exists (the API
creates the Patient first, then books for it). It keeps every guarantee of ``book``: the write
transaction is begun IMMEDIATE on SQLite, the partial unique index decides who gets the slot,
the appointment and its audit row are committed together, and an idempotency key already used
returns the first appointment instead of booking twice (SECURITY.md items 13 to 15). Reusing
``book`` itself would create a second Patient row for every booking, and the Appointment would
then name a patient other than the one the client gave.

``store_reading`` keeps a reading for the patient's appointment of that day, as the kiosk keeps
one taken before a consultation, in one transaction with its audit row; an idempotency key
already used returns the first reading.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.booking.service import BookingError, Clinical, book_with
from kiosk.core.clock import day_bounds
from kiosk.core.db import Database
from kiosk.core.records import Appointment, AuditEvent, Measurement, Patient, Slot
from kiosk.fhir.bp_panel import Reading
from kiosk.fhir.parse import PatientEntry
from kiosk.security.vault import Vault
from kiosk.vitals import measurements

# Test hook, like service.between_inserts: runs inside the transaction after the appointment
# insert and before its audit row, so a test can kill the process there.
between_inserts: Callable[[], None] | None = None


class UnknownPatient(BookingError):
    """The patient named by the booking does not exist."""


class NoAppointmentThatDay(BookingError):
    """The patient has no appointment (not cancelled) on the day the reading was taken."""


def create_patient(
    database: Database, vault: Vault, entry: PatientEntry, actor: str, now: datetime
) -> Patient:
    """Store a patient given through the API (NIR and phone encrypted), with its audit row."""
    with database.write() as db:
        patient = Patient(
            pseudonym=secrets.token_hex(6),
            surname=entry.surname,
            first_name=entry.first_name,
            birth_date=entry.birth_date,
            sex=entry.sex,
            source="api",
            created_at=now,
            nir_token=vault.encrypt(entry.nir) if entry.nir else None,
            phone_token=vault.encrypt(entry.phone) if entry.phone else None,
        )
        db.add(patient)
        db.flush()
        db.add(
            AuditEvent(at=now, actor=actor, action="patient.created", subject_ref=patient.pseudonym)
        )
        return patient


def book_for_patient(
    database: Database,
    vault: Vault,
    *,
    slot_id: int,
    patient_id: int,
    clinical: Clinical,
    idempotency_key: str,
    actor: str,
    now: datetime,
) -> Appointment:
    """Book ``slot_id`` for the stored patient ``patient_id``; SlotTaken if someone was first.

    Calling again with the same ``idempotency_key`` returns the same appointment, whatever the
    other arguments: the caller compares them if it cares. Raises UnknownPatient if there is no
    such patient.
    """

    def stored_patient(db: Session) -> Patient:
        patient = db.get(Patient, patient_id)
        if patient is None:
            raise UnknownPatient(patient_id)
        return patient

    return book_with(
        database,
        vault,
        patient_for=stored_patient,
        slot_id=slot_id,
        clinical=clinical,
        idempotency_key=idempotency_key,
        actor=actor,
        now=now,
        hook=between_inserts,
    )


def audit(database: Database, actor: str, action: str, subject_ref: str, now: datetime) -> None:
    """Write one audit row (for reads of a person's record through the API)."""
    journal(database, actor, action, [subject_ref], now)


def journal(
    database: Database, actor: str, action: str, subject_refs: Iterable[str], now: datetime
) -> None:
    """Write one audit row per person (each pseudonym once), in one transaction."""
    with database.write() as db:
        for subject_ref in dict.fromkeys(subject_refs):
            db.add(AuditEvent(at=now, actor=actor, action=action, subject_ref=subject_ref))


def _appointment_that_day(db: Session, patient_id: int, taken_at: datetime,
                          tz: ZoneInfo) -> Appointment | None:
    """The patient's appointment (not cancelled) of the reading's local day, the nearest one."""
    start, end = day_bounds(taken_at.astimezone(tz).date(), tz)
    candidates = db.scalars(
        select(Appointment).join(Slot, Appointment.slot_id == Slot.id).where(
            Appointment.patient_id == patient_id,
            Appointment.status != "cancelled",
            Slot.starts_at >= start,
            Slot.starts_at < end,
        )
    ).all()
    return min(candidates, key=lambda a: abs(a.slot.starts_at - taken_at), default=None)


def reading_by_key(database: Database, key: str) -> Measurement | None:
    """The reading stored under this idempotency key, if any."""
    with database.read() as db:
        return db.scalar(select(Measurement).where(Measurement.idempotency_key == key))


def store_reading(database: Database, vault: Vault, *, reading: Reading, idempotency_key: str,
                  actor: str, now: datetime, tz: ZoneInfo) -> Measurement:
    """Keep ``reading`` for its patient's appointment of that day, with its audit row.

    Raises UnknownPatient, or NoAppointmentThatDay: a reading is kept only for the doctor of an
    appointment (SECURITY.md item 18). A key already used returns the first reading, whatever
    the other arguments: the caller compares them if it cares.
    """
    try:
        with database.write() as db:
            earlier = db.scalar(
                select(Measurement).where(Measurement.idempotency_key == idempotency_key)
            )
            if earlier is not None:
                return earlier
            patient = db.get(Patient, reading.patient_id)
            if patient is None:
                raise UnknownPatient(reading.patient_id)
            appointment = _appointment_that_day(db, patient.id, reading.taken_at, tz)
            if appointment is None:
                raise NoAppointmentThatDay(reading.patient_id)
            row = measurements.add(
                db, vault, session_ref="api:" + secrets.token_hex(6), result=reading.result,
                appointment_id=appointment.id, taken_at=reading.taken_at,
                idempotency_key=idempotency_key,
            )
            db.add(AuditEvent(at=now, actor=actor, action="observation.created",
                              subject_ref=patient.pseudonym))
            return row
    except IntegrityError:
        # The same key, sent twice at once: the unique key let one through, which stands.
        earlier = reading_by_key(database, idempotency_key)
        if earlier is None:
            raise
        return earlier
