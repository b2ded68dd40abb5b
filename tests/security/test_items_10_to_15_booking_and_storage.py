"""SECURITY.md items 10, 12, 13, 14 and 15: steps in order, SQLite's safety settings, one
booking per slot whatever the race, nothing half-written after kill -9, idempotent retries.

The storage tests run against SQLite and PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from booking_support import (
    NOW,
    RACERS,
    book,
    booking_outcome,
    count,
    open_martins_slots,
    race,
    slot_ids,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from support import Kiosk

from kiosk.booking import service, slots
from kiosk.booking.service import SlotTaken
from kiosk.core.db import SQLITE_BUSY_TIMEOUT_MS, Database, get_db
from kiosk.core.migrate import upgrade
from kiosk.core.records import Appointment, Patient
from kiosk.security.vault import Vault


@pytest.fixture
def database(database: Database) -> Database:
    """The shared empty database (each kind), with Dr Martin's four free slots."""
    open_martins_slots(database)
    return database


def test_item_10_confirming_without_identity_or_slot_is_refused(
    seeded: Flask, client: FlaskClient, kiosk: Kiosk
) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    token = kiosk.csrf_token()
    response = client.post("/booking/confirm", data={"csrf_token": token, "key": "x"})
    assert response.status_code == 303 and response.headers["Location"] == "/booking/"
    with get_db(seeded).read() as db:
        assert db.scalar(select(func.count()).select_from(Appointment)) == 0


def _identified(kiosk: Kiosk) -> None:
    """Name and birth date typed, "Oui, c'est moi": the next screen asks the reason."""
    kiosk.type_who_i_am()
    kiosk.tap("Passer")  # NIR
    kiosk.tap("Passer")  # phone
    kiosk.tap("Oui, c'est moi")
    assert kiosk.question == "Pourquoi voulez-vous voir le médecin ?"


def _appointments(app: Flask) -> int:
    with get_db(app).read() as db:
        return int(db.scalar(select(func.count()).select_from(Appointment)) or 0)


def test_item_10_confirming_without_a_slot_is_refused(seeded: Flask, kiosk: Kiosk) -> None:
    """Issue 15 item 12: identified, reason given, questions answered, no slot chosen."""
    _identified(kiosk)
    kiosk.tap("Fièvre")
    for answer in ("Oui", "Non", "Oui"):
        kiosk.tap(answer)
    assert kiosk.question == "Quand voulez-vous voir le médecin ?"
    response = kiosk.client.post("/booking/confirm",
                                 data={"csrf_token": kiosk.csrf_token(), "key": "x"})
    assert response.status_code == 303
    assert response.headers["Location"] not in ("/booking/done", "/booking/check")
    assert _appointments(seeded) == 0


def test_item_10_confirming_without_a_reason_is_refused(seeded: Flask, kiosk: Kiosk) -> None:
    """Issue 15 item 12: identified and a free slot forced in by hand, but no reason given."""
    _identified(kiosk)
    with get_db(seeded).read() as db:
        slot = slots.earliest_free(db, datetime.now(UTC))
    token = kiosk.csrf_token()
    kiosk.client.post("/booking/time", data={"csrf_token": token, "choice": f"slot:{slot.id}"})
    response = kiosk.client.post("/booking/confirm", data={"csrf_token": token, "key": "x"})
    assert response.status_code == 303
    assert response.headers["Location"] not in ("/booking/done", "/booking/check")
    assert _appointments(seeded) == 0



def test_item_12_sqlite_connections_use_the_safety_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    upgrade(url)
    db = Database(url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # A writer waits for another instead of failing at once (and at least 5 s).
        busy_ms = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert busy_ms == SQLITE_BUSY_TIMEOUT_MS >= 5000
    db.dispose()


def test_item_13_sqlite_write_transactions_take_the_write_lock_up_front(tmp_path: Path) -> None:
    """A write() holds SQLite's write lock from its first statement, even a read, so a racing
    writer waits at BEGIN instead of failing half-way (SECURITY.md item 13)."""
    path = tmp_path / "k.db"
    upgrade(f"sqlite:///{path}")
    db = Database(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with db.write() as session:
            session.execute(text("SELECT count(*) FROM site"))  # a read, yet the lock is held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ends
        other.execute("ROLLBACK")
        with db.read() as session:
            session.execute(text("SELECT count(*) FROM site"))
            other.execute("BEGIN IMMEDIATE")  # a plain read does not block writers
            other.execute("ROLLBACK")
    finally:
        other.close()
        db.dispose()



def test_item_13_a_taken_slot_is_refused_and_no_longer_offered(
    database: Database, vault: Vault
) -> None:
    first, second, *_ = slot_ids(database)
    book(database, vault, first, "key-1")
    with pytest.raises(SlotTaken):
        book(database, vault, first, "key-2")
    with database.read() as db:
        earliest = slots.earliest_free(db, NOW)
        assert earliest is not None and earliest.id == second
        assert not slots.is_free(db, first, NOW)
    assert count(database, Appointment) == 1 and count(database, Patient) == 1


def _racer(url: str, key_file: str, slot_id: int, index: int, start, results) -> None:
    database = Database(url)
    try:
        booking_outcome(lambda: book(database, Vault(Path(key_file)), slot_id, f"racer-{index}"),
                        start, results)
    finally:
        database.dispose()


def test_item_13_sixteen_processes_racing_for_one_slot_make_one_booking(
    database: Database, vault: Vault, database_url: str
) -> None:
    slot_id = slot_ids(database)[0]
    vault.encrypt("create the key before the race")
    database.dispose()
    outcomes = race(_racer, database_url, str(vault.key_file), slot_id)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["booked"] + ["taken"] * (RACERS - 1), outcomes
    assert count(database, Appointment) == 1 and count(database, Patient) == 1


def _killed_mid_booking(url: str, key_file: str, slot_id: int, ready) -> None:
    def stop_here() -> None:
        ready.set()
        signal.pause()  # wait here, inside the transaction, for kill -9

    service.between_inserts = stop_here
    book(Database(url), Vault(Path(key_file)), slot_id, "killed")


def test_item_14_kill_9_between_the_two_inserts_leaves_nothing_half_written(
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


def test_item_15_the_same_request_twice_books_once(database: Database, vault: Vault) -> None:
    first = slot_ids(database)[0]
    once = book(database, vault, first, "retry-key")
    again = book(database, vault, first, "retry-key")
    assert again.id == once.id and again.code == once.code
    assert count(database, Appointment) == 1


def _dies_after_committing(url: str, key_file: str, slot_id: int, committed) -> None:
    book(Database(url), Vault(Path(key_file)), slot_id, "dropped-response")
    committed.set()
    signal.pause()  # the worker dies here, before its answer reaches the kiosk


def test_item_15_a_worker_killed_after_booking_then_a_retry_makes_one_booking(
    database: Database, vault: Vault, database_url: str
) -> None:
    slot_id = slot_ids(database)[0]
    vault.encrypt("create the key first")
    context = multiprocessing.get_context("spawn")
    committed = context.Event()
    worker = context.Process(target=_dies_after_committing,
                             args=(database_url, str(vault.key_file), slot_id, committed))
    worker.start()
    assert committed.wait(timeout=60), "the worker never booked"
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(timeout=10)
    retried = book(database, vault, slot_id, "dropped-response")  # the kiosk sends it again
    assert retried.slot_id == slot_id
    assert count(database, Appointment) == 1 and count(database, Patient) == 1
