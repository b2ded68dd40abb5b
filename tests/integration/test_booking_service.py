"""Booking on both databases: one winner per slot, no half bookings, idempotent retries.

SECURITY.md items 13, 14 and 15, run against SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.booking import service, slots
from kiosk.booking.codes import ALPHABET
from kiosk.booking.service import Clinical, Identity, SlotTaken
from kiosk.db import Database
from kiosk.migrate import upgrade
from kiosk.models import Appointment, AuditEvent, Patient, Practitioner, Slot
from kiosk.vault import Vault

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
JEANNE = Identity(
    "Martin",
    "Jeanne",
    date(1941, 3, 15),
    nir="241037510804204",
    phone="0612345678",
    sex="F",
    source="card",
)
FEVER = Clinical("fever", {"fever": True, "pain": False})
RACERS = 16


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    db = Database(database_url)
    with db.write() as session:
        doctor = Practitioner(surname="Martin", first_name="Claire")
        session.add(doctor)
        session.flush()
        for minutes in (60, 75, 90, 24 * 60):
            start = NOW + timedelta(minutes=minutes)
            session.add(
                Slot(
                    practitioner_id=doctor.id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=15),
                )
            )
    yield db
    db.dispose()


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "keys" / "fields.key")


def slot_ids(database: Database) -> list[int]:
    with database.read() as db:
        return list(db.scalars(select(Slot.id).order_by(Slot.starts_at)))


def count(database: Database, model: type) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def book(database: Database, vault: Vault, slot_id: int, key: str) -> Appointment:
    return service.book(
        database,
        vault,
        slot_id=slot_id,
        identity=JEANNE,
        clinical=FEVER,
        idempotency_key=key,
        actor="session:abc",
        now=NOW,
    )


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


def test_a_taken_slot_is_refused_and_no_longer_offered(database: Database, vault: Vault) -> None:
    first, second, *_ = slot_ids(database)
    book(database, vault, first, "key-1")
    with pytest.raises(SlotTaken):
        book(database, vault, first, "key-2")
    with database.read() as db:
        earliest = slots.earliest_free(db, NOW)
        assert earliest is not None and earliest.id == second
        assert not slots.is_free(db, first, NOW)
    assert count(database, Appointment) == 1 and count(database, Patient) == 1


def test_the_same_request_twice_books_once(database: Database, vault: Vault) -> None:
    first = slot_ids(database)[0]
    once = book(database, vault, first, "retry-key")
    again = book(database, vault, first, "retry-key")
    assert again.id == once.id and again.code == once.code
    assert count(database, Appointment) == 1


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


def _racer(url: str, key_file: str, slot_id: int, index: int, start, results) -> None:
    database = Database(url)
    start.wait()
    try:
        appointment = book(database, Vault(Path(key_file)), slot_id, f"racer-{index}")
        results.put(("booked", appointment.code))
    except SlotTaken:
        results.put(("taken", ""))
    except Exception as exc:  # anything else is what this test hunts
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        database.dispose()


def test_sixteen_processes_racing_for_one_slot_make_one_booking(
    database: Database, vault: Vault, database_url: str
) -> None:
    slot_id = slot_ids(database)[0]
    vault.encrypt("create the key before the race")
    database.dispose()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(RACERS), context.Queue()
    racers = [
        context.Process(
            target=_racer, args=(database_url, str(vault.key_file), slot_id, i, start, results)
        )
        for i in range(RACERS)
    ]
    for racer in racers:
        racer.start()
    outcomes = [results.get(timeout=60) for _ in racers]
    for racer in racers:
        racer.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["booked"] + ["taken"] * (RACERS - 1), outcomes
    assert count(database, Appointment) == 1 and count(database, Patient) == 1


def _killed_mid_booking(url: str, key_file: str, slot_id: int, ready) -> None:
    def stop_here() -> None:
        ready.set()
        signal.pause()  # wait here, inside the transaction, for kill -9

    service.between_inserts = stop_here
    book(Database(url), Vault(Path(key_file)), slot_id, "killed")


def test_kill_9_between_the_two_inserts_leaves_nothing_half_written(
    database: Database, vault: Vault, database_url: str
) -> None:
    slot_id = slot_ids(database)[0]
    vault.encrypt("create the key first")
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    writer = context.Process(
        target=_killed_mid_booking, args=(database_url, str(vault.key_file), slot_id, ready)
    )
    writer.start()
    assert ready.wait(timeout=60), "the writer never reached the point between the inserts"
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=10)
    assert writer.exitcode == -signal.SIGKILL
    assert count(database, Patient) == 0 and count(database, Appointment) == 0
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    appointment = book(database, vault, slot_id, "next-writer")  # the next writer succeeds
    assert appointment.slot_id == slot_id
