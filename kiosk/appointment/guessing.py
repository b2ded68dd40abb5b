"""Guessing is limited (SECURITY.md item 24): refused tries at a code or its second proof are
counted per visit and per unit, journaled without the code, and too many pause code entry.

Per visit: the count lives in the visit's state (``ProvenAppointment.tries``); the views stop
at ``VISIT_LIMIT``. Per unit: each refused try is a ``CodeGuess`` row (a time, nothing else);
``UNIT_LIMIT`` of them within ``UNIT_WINDOW`` start a ``CodePause`` for the whole unit, which
ends after ``PAUSE`` or when staff lift it from their portal. A pause also starts the count
again: the tries before it are not counted twice.

Retention (SECURITY.md item 18): ``kiosk purge`` calls ``purge_old``. Tries older than
``UNIT_WINDOW`` no longer count and go; a pause that is over (lifted or expired) goes with the
tries it already counted, so the count after it is the same without it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.core.db import Database, changed_rows, serialise
from kiosk.core.records import CodeGuess, CodePause
from kiosk.security.audit import record

VISIT_LIMIT = 3
UNIT_LIMIT = 20
UNIT_WINDOW = timedelta(hours=1)
PAUSE = timedelta(minutes=15)
LOCK = "appointment.code_guess"  # taken while the unit's tries are counted or purged


def _open_pause(db: Session, now: datetime) -> CodePause | None:
    return db.scalar(select(CodePause).where(CodePause.started_at <= now, CodePause.until > now,
                                             CodePause.lifted_at.is_(None))
                     .order_by(CodePause.started_at.desc()).limit(1))


def paused_until(database: Database, now: datetime) -> datetime | None:
    """When code entry resumes by itself, if it is paused for the unit now."""
    with database.read() as db:
        pause = _open_pause(db, now)
        return pause.until if pause is not None else None


def refused(database: Database, actor: str, visit_ref: str, now: datetime) -> bool:
    """Count one refused try for the unit and journal it (never the code typed). Returns
    whether code entry is paused for the unit from now on.

    The unit's tries are counted one request at a time (``serialise``): two wrong tries at the
    same moment around the twentieth would otherwise each be counted without the other, and
    neither pause code entry (or both would)."""
    with database.write() as db:
        serialise(db, LOCK)
        db.execute(delete(CodeGuess).where(CodeGuess.at <= now - UNIT_WINDOW))
        db.add(CodeGuess(at=now))
        record(db, actor=actor, action="appointment.proof_refused",
               subject_ref=f"visit:{visit_ref}", now=now)
        db.flush()
        if _open_pause(db, now) is not None:
            return True
        last = db.scalar(select(func.max(CodePause.started_at)))
        since = max(now - UNIT_WINDOW, last) if last is not None else now - UNIT_WINDOW
        count = db.scalar(select(func.count()).select_from(CodeGuess)
                          .where(CodeGuess.at > since)) or 0
        if count < UNIT_LIMIT:
            return False
        db.add(CodePause(started_at=now, until=now + PAUSE))
        record(db, actor="system:kiosk", action="appointment.codes_paused",
               subject_ref="unit", now=now)
        return True


def purge_old(db: Session, now: datetime) -> tuple[int, int]:
    """Delete the tries that no longer count and the pauses that are over, in ``db`` (the
    purge's transaction). Returns how many tries and pauses went."""
    serialise(db, LOCK)  # not while a try is being counted
    over = list(db.scalars(select(CodePause).where(
        (CodePause.until <= now) | CodePause.lifted_at.is_not(None))))
    guesses = changed_rows(db, delete(CodeGuess).where(CodeGuess.at <= now - UNIT_WINDOW))
    if over:
        # The tries up to the latest pause over were counted by it (``refused`` counts from a
        # pause's start): they go with it, or the count would take them in again.
        counted = max(pause.started_at for pause in over)
        guesses += changed_rows(db, delete(CodeGuess).where(CodeGuess.at <= counted))
    pauses = changed_rows(db, delete(CodePause).where(
        CodePause.id.in_([pause.id for pause in over]))) if over else 0
    return guesses, pauses


def stopped_visit(database: Database, actor: str, visit_ref: str, now: datetime) -> None:
    """Journal that a visit reached its limit (the help call is raised by the view)."""
    with database.write() as db:
        record(db, actor=actor, action="appointment.too_many_tries",
               subject_ref=f"visit:{visit_ref}", now=now)


def lift(database: Database, actor: str, now: datetime) -> bool:
    """Staff resume code entry for the unit now. Returns whether a pause was open."""
    with database.write() as db:
        pauses = db.scalars(select(CodePause).where(CodePause.until > now,
                                                    CodePause.lifted_at.is_(None))).all()
        for pause in pauses:
            pause.lifted_at, pause.lifted_by = now, actor[:100]
        if pauses:
            record(db, actor=actor, action="appointment.codes_resumed", subject_ref="unit",
                   now=now)
    return bool(pauses)
