"""The booking service as its storage tests see it: Dr Martin's four free slots, Jeanne Martin
with a fever, and booking one slot for her. Used by tests/integration/test_booking_service.py
and tests/security/test_items_10_to_15_booking_and_storage.py, on both databases."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from kiosk.booking import service
from kiosk.booking.service import Clinical, Identity, SlotTaken
from kiosk.core.db import Database
from kiosk.core.records import Appointment, Practitioner, Slot
from kiosk.security.vault import Vault

RACERS = 16
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


def open_martins_slots(database: Database) -> None:
    """Dr Claire Martin, free in 1 h, 1 h 15 and 1 h 30 from NOW, and tomorrow."""
    with database.write() as session:
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


def slot_ids(database: Database) -> list[int]:
    with database.read() as db:
        return list(db.scalars(select(Slot.id).order_by(Slot.starts_at)))


def count(database: Database, model: type) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def book(database: Database, vault: Vault, slot_id: int, key: str) -> Appointment:
    """Jeanne books ``slot_id`` for her fever, with ``key`` as the request's idempotency key."""
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


def race(racer: Callable[..., None], *args: Any) -> list[tuple[str, str]]:
    """RACERS spawned processes, each running ``racer(*args, index, start, results)``: they
    meet at ``start`` (a barrier) and book at once; each outcome is what ``racer`` put in
    ``results`` (see ``booking_outcome``)."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(RACERS), context.Queue()
    racers = [context.Process(target=racer, args=(*args, index, start, results))
              for index in range(RACERS)]
    for process in racers:
        process.start()
    # 16 spawned interpreters each import the app first: on a busy 2-core machine that alone
    # can take a minute. The deadline only guards against a hang.
    outcomes = [results.get(timeout=240) for _ in racers]
    for process in racers:
        process.join(timeout=30)
    return outcomes


def booking_outcome(book_it: Callable[[], Appointment], start: Any, results: Any) -> None:
    """In a racer: wait for the others at ``start``, book, and put what happened in
    ``results``: ("booked", code), ("taken", "") or ("error", what went wrong)."""
    start.wait()
    try:
        results.put(("booked", book_it().code))
    except SlotTaken:
        results.put(("taken", ""))
    except Exception as exc:  # anything else is what the race hunts
        results.put(("error", f"{type(exc).__name__}: {exc}"))
