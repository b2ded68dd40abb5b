"""Storage on both databases: migrations, constraints, UTC times, SQLite's safety settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from kiosk.core.db import Database
from kiosk.core.migrate import downgrade, upgrade
from kiosk.core.records import Account, Practitioner, Site, Slot
from kiosk.demo.data import DEMO_DOCTOR, DEMO_STAFF, seed_demo
from kiosk.security.accounts import verify_password

TABLES = {
    "site",
    "practitioner",
    "availability",
    "slot",
    "account",
    "kiosk_session",
    "audit_event",
    "help_request",
}
PARIS = ZoneInfo("Europe/Paris")


def test_migrations_create_every_table_and_go_back_down(database_url: str) -> None:
    upgrade(database_url)
    db = Database(database_url)
    assert TABLES <= set(inspect(db.engine).get_table_names())
    db.dispose()
    downgrade(database_url, "base")
    assert not TABLES & set(inspect(db.engine).get_table_names())
    db.dispose()
    upgrade(database_url)
    assert TABLES <= set(inspect(db.engine).get_table_names())
    db.dispose()


def test_one_practitioner_cannot_have_two_slots_at_the_same_time(database: Database) -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with database.write() as db:
        doctor = Practitioner(surname="Martin", first_name="Claire")
        db.add(doctor)
        db.flush()
        db.add(
            Slot(practitioner_id=doctor.id, starts_at=start, ends_at=start + timedelta(minutes=15))
        )
        doctor_id = doctor.id
    with pytest.raises(IntegrityError):
        with database.write() as db:
            db.add(
                Slot(
                    practitioner_id=doctor_id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=15),
                )
            )
    with database.read() as db:
        assert db.scalar(select(func.count()).select_from(Slot)) == 1


def test_times_come_back_as_the_same_instant_in_utc(database: Database) -> None:
    local = datetime(2026, 7, 14, 14, 30, tzinfo=PARIS)  # summer time: 12:30 UTC
    with database.write() as db:
        doctor = Practitioner(surname="Benali", first_name="Karim")
        db.add(doctor)
        db.flush()
        db.add(Slot(practitioner_id=doctor.id, starts_at=local, ends_at=local))
    with database.read() as db:
        stored = db.scalar(select(Slot.starts_at))
    assert stored == local
    assert stored.tzinfo is UTC and stored.hour == 12


def test_a_naive_time_is_refused_rather_than_guessed(database: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        with database.write() as db:
            doctor = Practitioner(surname="Lefèvre", first_name="Anne")
            db.add(doctor)
            db.flush()
            db.add(
                Slot(
                    practitioner_id=doctor.id,
                    starts_at=datetime(2026, 12, 1, 9),
                    ends_at=datetime(2026, 12, 1, 9, 15),
                )
            )


def test_demo_seed_gives_three_doctors_two_weeks_of_slots_and_two_accounts(
    database: Database,
) -> None:
    now = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # a Monday, 8:00 in Paris
    report = seed_demo(database, "Mairie de test", "Europe/Paris", 15, now=now)
    assert report.created_site and report.slots_created == report.slots_total > 0
    with database.read() as db:
        assert db.scalar(select(func.count()).select_from(Site)) == 1
        doctors = db.scalars(select(Practitioner)).all()
        assert len(doctors) == 3
        for doctor in doctors:
            starts = db.scalars(
                select(Slot.starts_at).where(Slot.practitioner_id == doctor.id)
            ).all()
            assert starts, f"{doctor.surname} has no slot"
            assert min(starts) >= now
            assert max(starts) < now + timedelta(days=14)
        days = {s.astimezone(PARIS).date() for s in db.scalars(select(Slot.starts_at))}
        assert len(days) >= 11  # every day of two weeks but Sundays
        accounts = {a.username: a for a in db.scalars(select(Account))}
    assert accounts[DEMO_STAFF[0]].role == "pharmacist"
    assert accounts[DEMO_DOCTOR[0]].role == "doctor"
    assert accounts[DEMO_DOCTOR[0]].practitioner_id is not None
    for username, password, *_ in (DEMO_STAFF, DEMO_DOCTOR):
        stored = accounts[username].password_hash
        assert stored.startswith("$argon2id$") and password not in stored
        assert verify_password(stored, password)
        assert not verify_password(stored, password + "x")


def test_seeding_twice_adds_nothing_but_tops_up_later_days(database: Database) -> None:
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    first = seed_demo(database, "Mairie", "Europe/Paris", 15, now=monday)
    again = seed_demo(database, "Mairie", "Europe/Paris", 15, now=monday)
    assert not again.created_site and again.slots_created == 0
    assert again.slots_total == first.slots_total
    later = seed_demo(database, "Mairie", "Europe/Paris", 15, now=monday + timedelta(days=3))
    assert later.slots_created > 0
    with database.read() as db:
        assert db.scalar(select(func.count()).select_from(Practitioner)) == 3


def test_postgresql_urls_use_psycopg3(postgres_url: str) -> None:
    db = Database(postgres_url)
    assert db.url.startswith("postgresql+psycopg://")
    db.ping()
    db.dispose()
