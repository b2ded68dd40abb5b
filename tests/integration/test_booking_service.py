"""Booking on both databases: encrypted health data, cancelling, moving, past slots.

The race, kill -9 and retry tests (SECURITY.md items 13 to 15) are in
tests/security/test_items_10_to_15_booking_and_storage.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking_support import FEVER, JEANNE, NOW, book, open_martins_slots, slot_ids
from sqlalchemy import select

from kiosk.booking import service, slots
from kiosk.booking.codes import ALPHABET
from kiosk.booking.service import SlotTaken
from kiosk.core.db import Database
from kiosk.core.records import Appointment, AuditEvent, Patient
from kiosk.security.vault import Vault


@pytest.fixture
def database(database: Database) -> Database:
    """The shared empty database (each kind), with Dr Martin's four free slots."""
    open_martins_slots(database)
    return database


def test_booking_stores_the_appointment_with_encrypted_health_data(
    database: Database, vault: Vault
) -> None:
    first = slot_ids(database)[0]
    appointment = book(database, vault, first, "key-1")
    assert len(appointment.code) == 6 and set(appointment.code) <= set(ALPHABET)
    with database.read() as db:
        stored = db.get(Appointment, appointment.id)
        patient = db.get(Patient, stored.patient_id)
        audit = db.scalars(select(AuditEvent)).all()
    assert stored.status == "booked"
    assert "fever" not in stored.clinical_token and "241037" not in (patient.nir_token or "")
    assert service.clinical_of(stored, vault) == FEVER
    assert vault.decrypt(patient.nir_token) == JEANNE.nir
    assert [(a.action, a.subject_ref) for a in audit] == [("appointment.booked", patient.pseudonym)]
    assert "Martin" not in audit[0].subject_ref


def test_cancelling_frees_the_slot_and_moving_takes_another(
    database: Database, vault: Vault
) -> None:
    first, second, third, _ = slot_ids(database)
    appointment = book(database, vault, first, "key-1")
    moved = service.move(database, appointment.code, second, "session:abc", NOW)
    assert moved.slot_id == second
    with database.read() as db:
        assert slots.is_free(db, first, NOW) and not slots.is_free(db, second, NOW)
    other = book(database, vault, third, "key-2")
    with pytest.raises(SlotTaken):
        service.move(database, appointment.code, third, "session:abc", NOW)
    service.cancel(database, appointment.code, "session:abc", NOW)
    with database.read() as db:
        assert slots.is_free(db, second, NOW)
        with pytest.raises(service.AppointmentNotFound):
            service.find_live(db, appointment.code, NOW)
        assert service.find_live(db, other.code, NOW).id == other.id
    book(database, vault, second, "key-3")  # the cancelled slot can be booked again


def test_past_slots_are_neither_offered_nor_bookable(database: Database, vault: Vault) -> None:
    later = NOW + timedelta(hours=2)
    with database.read() as db:
        earliest = slots.earliest_free(db, later)
    assert earliest is not None and earliest.starts_at >= later + slots.LEAD
    with pytest.raises(SlotTaken):
        service.book(
            database,
            vault,
            slot_id=slot_ids(database)[0],
            identity=JEANNE,
            clinical=FEVER,
            idempotency_key="late",
            actor="session:abc",
            now=later,
        )
