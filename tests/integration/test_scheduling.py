"""Weekly availability with exceptions becomes slots; regenerating follows every change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.booking import service
from kiosk.booking.service import Clinical, Identity
from kiosk.core.db import Database
from kiosk.core.records import Availability, AvailabilityException, Practitioner, Slot
from kiosk.doctor.scheduling import generate_slots
from kiosk.security.vault import Vault

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # the Sunday before


@pytest.fixture
def database(database: Database) -> Database:
    """The shared empty database (each kind), with Dr Martin's weekly pattern: Monday and
    Tuesday, 9:00 to 10:00, four 15-minute slots a day."""
    with database.write() as session:
        doctor = Practitioner(surname="Martin", first_name="Claire")
        doctor.availabilities = [
            Availability(weekday=w, start_minute=540, end_minute=600) for w in (0, 1)
        ]
        session.add(doctor)
    return database


def regenerate(database: Database) -> None:
    with database.write() as session:
        doctor = session.scalars(select(Practitioner)).one()
        generate_slots(session, doctor, MONDAY, 7, 15, PARIS, NOW)


def local_starts(database: Database) -> list[str]:
    with database.read() as session:
        starts = session.scalars(select(Slot.starts_at).order_by(Slot.starts_at))
        return [s.astimezone(PARIS).strftime("%a %H:%M") for s in starts]


def add_exception(database: Database, **fields) -> None:
    with database.write() as session:
        doctor = session.scalars(select(Practitioner)).one()
        session.add(AvailabilityException(practitioner_id=doctor.id, **fields))


def test_the_weekly_pattern_opens_its_slots_once(database: Database) -> None:
    regenerate(database)
    regenerate(database)
    assert local_starts(database) == [
        "Mon 09:00",
        "Mon 09:15",
        "Mon 09:30",
        "Mon 09:45",
        "Tue 09:00",
        "Tue 09:15",
        "Tue 09:30",
        "Tue 09:45",
    ]


def test_a_day_off_closes_the_day_and_a_window_off_closes_part_of_it(database: Database) -> None:
    regenerate(database)
    add_exception(database, day=MONDAY, kind="off")
    add_exception(
        database, day=MONDAY + timedelta(days=1), kind="off", start_minute=555, end_minute=585
    )  # 9:15 to 9:45
    regenerate(database)
    assert local_starts(database) == ["Tue 09:00", "Tue 09:45"]


def test_extra_hours_open_more_slots(database: Database) -> None:
    add_exception(
        database, day=MONDAY + timedelta(days=3), kind="extra", start_minute=840, end_minute=870
    )  # Thursday 14:00 to 14:30
    regenerate(database)
    assert local_starts(database)[-2:] == ["Thu 14:00", "Thu 14:15"]


def test_a_booked_slot_stays_even_when_the_day_is_closed(database: Database, tmp_path) -> None:
    regenerate(database)
    with database.read() as session:
        first = session.scalars(select(Slot).order_by(Slot.starts_at)).first()
    service.book(
        database,
        Vault(tmp_path / "k"),
        slot_id=first.id,
        identity=Identity("DURAND", "Luc", date(1950, 1, 1)),
        clinical=Clinical("other"),
        idempotency_key="k1",
        actor="test",
        now=NOW,
    )
    add_exception(database, day=MONDAY, kind="off")
    regenerate(database)
    assert local_starts(database)[0] == "Mon 09:00"  # still there: someone holds it
    assert "Mon 09:15" not in local_starts(database)
