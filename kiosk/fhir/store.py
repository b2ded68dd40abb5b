"""What the API writes: patients, bookings for a stored patient, and audit rows for reads.

``book_for_patient`` is ``kiosk.booking.service.book`` for a patient who already exists (the API
creates the Patient first, then books for it). It keeps every guarantee of ``book``: the write
transaction is begun IMMEDIATE on SQLite, the partial unique index decides who gets the slot,
the appointment and its audit row are committed together, and an idempotency key already used
returns the first appointment instead of booking twice (SECURITY.md items 13 to 15). Reusing
``book`` itself would create a second Patient row for every booking, and the Appointment would
then name a patient other than the one the client gave.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.booking.service import BookingError, Clinical, book_with
from kiosk.db import Database
from kiosk.fhir.parse import PatientEntry
from kiosk.models import Appointment, AuditEvent, Patient
from kiosk.vault import Vault

# Test hook, like service.between_inserts: runs inside the transaction after the appointment
# insert and before its audit row, so a test can kill the process there.
between_inserts: Callable[[], None] | None = None


class UnknownPatient(BookingError):
    """The patient named by the booking does not exist."""


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
    with database.write() as db:
        db.add(AuditEvent(at=now, actor=actor, action=action, subject_ref=subject_ref))
