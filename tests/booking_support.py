"""The booking service as its storage tests see it: Dr Martin's four free slots, Jeanne Martin
with a fever, and booking one slot for her. Used by tests/integration/test_booking_service.py
and tests/security/test_items_10_to_15_booking_and_storage.py, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from kiosk.booking import service
from kiosk.booking.service import Clinical, Identity
from kiosk.core.db import Database
from kiosk.core.records import Appointment, Practitioner, Slot
from kiosk.security.vault import Vault

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
