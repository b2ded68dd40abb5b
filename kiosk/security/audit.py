"""The audit journal: append-only (SECURITY.md item 17).

Three layers keep it so:

1. The application has no update or delete path: a flush that would change or delete an
   ``AuditEvent`` raises ``AppendOnly`` (``before_flush`` below), whatever code tries it.
2. The database refuses ``UPDATE`` of ``audit_event`` always, and ``DELETE`` of any row that is
   not older than the *purge floor* (triggers in migration 0006, on SQLite and PostgreSQL;
   PostgreSQL also refuses ``TRUNCATE``). So a stray ``DELETE FROM audit_event`` in a manual
   SQL session or a buggy query fails.
3. Retention still works: ``kiosk purge`` first moves the floor (a one-row table) to
   "now minus audit_retention_days", then deletes the rows below it, in one transaction, and
   journals that it did. Triggers let the floor only move forward and never be deleted.

What this does not claim: whoever owns the database can drop the triggers, or move the floor
to today and then delete; the floor's value is checked against the application's clock, not
the database's, so that retention can be tested with frozen time. It stops mistakes and casual
tampering, and the ``retention.purged`` entry says when and up to where rows went. Stronger
guarantees need a separate database role without DELETE rights, or shipping the journal
elsewhere as it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from kiosk.core.db import Database
from kiosk.core.records import AuditEvent, AuditPurgeFloor


class AppendOnly(RuntimeError):
    """Something tried to change or delete a journal entry."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnly("the audit journal is append-only")


def record(db: Session, *, actor: str, action: str, now: datetime, subject_ref: str = "") -> None:
    """Add one entry to the journal, in the caller's transaction."""
    db.add(AuditEvent(at=now, actor=actor[:100], action=action[:100],
                      subject_ref=subject_ref[:100]))


def move_floor(db: Session, floor: datetime) -> None:
    """Let entries older than ``floor`` be deleted (``kiosk purge`` only); never moves back."""
    db.execute(
        update(AuditPurgeFloor)
        .where(AuditPurgeFloor.id == 1, AuditPurgeFloor.floor < floor)
        .values(floor=floor)
    )


@dataclass(frozen=True)
class JournalFilter:
    """What an admin asks of the journal: a local day, an action prefix, an actor prefix."""

    day: date | None = None
    action: str = ""
    actor: str = ""


PAGE_SIZE = 200
# A whole account actor, as an admin copies it from the journal.
ACCOUNT_ACTOR = re.compile(r"account:\d+")


def search(database: Database, wanted: JournalFilter, tz: ZoneInfo) -> list[AuditEvent]:
    """The newest matching entries first, at most PAGE_SIZE."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if wanted.day is not None:
        start = datetime.combine(wanted.day, time(0), tzinfo=tz)
        query = query.where(AuditEvent.at >= start, AuditEvent.at < start + timedelta(days=1))
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action, autoescape=True))
    if wanted.actor and ACCOUNT_ACTOR.fullmatch(wanted.actor):
        # One account: what it did itself and what it did for a visit in assisted mode
        # ("account:3 for visit:<ref>"), but not account:31's.
        query = query.where(or_(AuditEvent.actor == wanted.actor,
                                AuditEvent.actor.startswith(f"{wanted.actor} for ",
                                                            autoescape=True)))
    elif wanted.actor:
        query = query.where(AuditEvent.actor.startswith(wanted.actor, autoescape=True))
    with database.read() as db:
        return list(db.scalars(query.limit(PAGE_SIZE)))
