"""SECURITY.md item 17: the audit journal is append-only on both databases, holds pseudonyms
only, and is still purged after its retention period."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError
from staff_support import Portal, book_at_the_kiosk, journal
from support import Kiosk

from kiosk.core.db import Database, get_db
from kiosk.core.records import AuditEvent
from kiosk.security.audit import AppendOnly, JournalFilter, record, search
from kiosk.security.purge import purge

OLD = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SETTINGS = {"absolute_seconds": 3600, "retention_days": 90, "audit_retention_days": 365}


@pytest.fixture
def database(database: Database) -> Database:
    """The shared empty database (each kind), with two journal entries: one past its
    retention (OLD), one within it (NOW)."""
    with database.write() as session:
        record(session, actor="session:old", action="appointment.booked", now=OLD)
        record(session, actor="session:new", action="appointment.booked", now=NOW)
    return database


def entries(database: Database) -> list[str]:
    with database.read() as db:
        return list(db.scalars(select(AuditEvent.actor).order_by(AuditEvent.id)))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET actor = 'someone else'",
    "DELETE FROM audit_event",
    "DELETE FROM audit_event WHERE actor = 'session:old'",
])
def test_item_17_the_database_refuses_to_change_or_delete_journal_entries(
    database: Database, statement: str
) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        with database.write() as db:
            db.execute(text(statement))
    assert entries(database) == ["session:old", "session:new"]


def test_item_17_nor_can_the_floor_be_moved_back_or_removed(database: Database) -> None:
    with database.write() as db:
        db.execute(text("UPDATE audit_purge_floor SET floor = :f"), {"f": OLD + timedelta(days=1)})
    with pytest.raises(DatabaseError, match="floor"):
        with database.write() as db:
            db.execute(text("UPDATE audit_purge_floor SET floor = '1970-01-01 00:00:00.000000'"))
    with pytest.raises(DatabaseError, match="floor"):
        with database.write() as db:
            db.execute(text("DELETE FROM audit_purge_floor"))


def test_item_17_the_application_has_no_update_or_delete_path(database: Database) -> None:
    with pytest.raises(AppendOnly):
        with database.write() as db:
            db.scalars(select(AuditEvent)).first().actor = "rewritten"
    with pytest.raises(AppendOnly):
        with database.write() as db:
            db.delete(db.scalars(select(AuditEvent)).first())
    with pytest.raises(DatabaseError):
        with database.write() as db:
            db.execute(update(AuditEvent).values(action="rewritten"))
    assert entries(database) == ["session:old", "session:new"]


def test_item_17_the_purge_still_deletes_what_is_past_retention_and_no_more(
    database: Database,
) -> None:
    report = purge(database, SETTINGS, NOW)
    assert report.audit_events == 1
    assert entries(database) == ["session:new", "system:purge"]
    with pytest.raises(DatabaseError):  # the entries kept are as protected as before
        with database.write() as db:
            db.execute(delete(AuditEvent))
    with database.read() as db:
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_item_17_no_name_or_nir_reaches_the_logs_or_the_journal_during_a_booking(
    seeded: Flask, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    book_at_the_kiosk(kiosk)
    rows = [(e.actor, e.action, e.subject_ref) for e in journal(seeded)]
    assert ("appointment.booked" in {action for _a, action, _s in rows})
    written = caplog.text + repr(rows)
    for secret in ("DURAND", "Durand", "JEANNE", "Jeanne", "241037510804204", "2410375108042",
                   "fever", "Fièvre", "1941"):
        assert secret not in written, secret
    assert all(actor.startswith("session:") for actor, action, _s in rows
               if action == "appointment.booked")


def test_item_17_admins_view_and_filter_the_journal(seeded: Flask) -> None:
    from staff_support import add_account

    add_account(seeded, "boss", "admin", name="Anne Admin")
    admin = Portal(seeded.test_client())
    admin.sign_in("boss", "a-long-password")
    admin.open("/staff/journal?day=2026-11-30&action=staff.&actor=account:")
    assert [td.get_text() for td in admin.soup.select("tbody td:nth-child(3)")] == ["staff.signin"]
    assert "Anne Admin (boss)" in admin.soup.select_one("tbody td:nth-child(2)").get_text()
    assert search(get_db(seeded), JournalFilter(action="nothing"), tz=None) == []  # type: ignore[arg-type]


def test_item_17_filtering_one_account_finds_what_it_did_for_a_visit_and_nothing_else(
    database: Database,
) -> None:
    with database.write() as session:
        for actor in ("account:3", "account:3 for visit:abc", "account:31",
                      "account:31 for visit:def"):
            record(session, actor=actor, action="appointment.booked", now=NOW)
    found = search(database, JournalFilter(actor="account:3"), tz=None)  # type: ignore[arg-type]
    assert sorted(e.actor for e in found) == ["account:3", "account:3 for visit:abc"]
    prefix = search(database, JournalFilter(actor="account:"), tz=None)  # type: ignore[arg-type]
    assert len(prefix) == 4  # a partial actor is still a prefix
