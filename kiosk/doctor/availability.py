"""A doctor's opening hours, as they edit them in the portal: a weekly pattern and exceptions.

Every change regenerates the doctor's slots for the days ahead in the same transaction
(kiosk.doctor.scheduling), so the kiosk offers new times at once and stops offering closed ones.
A slot someone booked is never removed: closing a booked time leaves that appointment alone,
and the page says how many appointments fall in a closed window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.core.db import Database
from kiosk.core.records import (
    Appointment,
    AuditEvent,
    Availability,
    AvailabilityException,
    Practitioner,
    Slot,
)
from kiosk.doctor.scheduling import generate_slots, wanted_starts

# How far ahead slots exist; the same horizon as the demo seed.
DAYS_AHEAD = 14
# An exception further away than this is surely a typing mistake.
MAX_DAYS_AWAY = 366


class Invalid(ValueError):
    """The hours given cannot be an opening: the message says why, for the doctor."""


@dataclass(frozen=True)
class Pattern:
    """What the availability page shows."""

    weekly: list[Availability]
    exceptions: list[AvailabilityException]


def minutes_of(text: str) -> int:
    """ "14:30" → 870; "24:00" is the end of the day. Raises Invalid otherwise."""
    try:
        hours, minutes = text.strip().split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError as exc:
        raise Invalid("time") from exc
    if not (0 <= int(minutes) < 60 and 0 <= value <= 1440):
        raise Invalid("time")
    return value


def hhmm(minutes: int) -> str:
    """870 → "14:30"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def pattern(database: Database, practitioner_id: int, today: date) -> Pattern:
    """The weekly openings by day and time, and the exceptions from today on."""
    with database.read() as db:
        weekly = list(db.scalars(
            select(Availability).where(Availability.practitioner_id == practitioner_id)
            .order_by(Availability.weekday, Availability.start_minute)))
        exceptions = list(db.scalars(
            select(AvailabilityException).where(
                AvailabilityException.practitioner_id == practitioner_id,
                AvailabilityException.day >= today)
            .order_by(AvailabilityException.day, AvailabilityException.start_minute)))
    return Pattern(weekly, exceptions)


def _regenerate(
    db: Session, practitioner_id: int, slot_minutes: int, tz: ZoneInfo, now: datetime
) -> None:
    db.flush()
    practitioner = db.scalar(
        select(Practitioner).where(Practitioner.id == practitioner_id)
        .options(selectinload(Practitioner.availabilities)).execution_options(populate_existing=True))
    assert practitioner is not None
    today = now.astimezone(tz).date()
    generate_slots(db, practitioner, today, DAYS_AHEAD, slot_minutes, tz, now)


def _check_window(start: int, end: int) -> None:
    if start >= end:
        raise Invalid("order")


def add_weekly(
    database: Database, practitioner_id: int, weekday: int, start: int, end: int,
    *, slot_minutes: int, tz: ZoneInfo, actor: str, now: datetime,
) -> None:
    """Open ``weekday`` (0 = Monday) from ``start`` to ``end`` (minutes) every week."""
    if not 0 <= weekday <= 6:
        raise Invalid("weekday")
    _check_window(start, end)
    with database.write() as db:
        overlapping = db.scalar(select(Availability.id).where(
            Availability.practitioner_id == practitioner_id, Availability.weekday == weekday,
            Availability.start_minute < end, Availability.end_minute > start))
        if overlapping is not None:
            raise Invalid("overlap")
        db.add(Availability(practitioner_id=practitioner_id, weekday=weekday,
                            start_minute=start, end_minute=end))
        db.add(AuditEvent(at=now, actor=actor, action="availability.added", subject_ref=""))
        _regenerate(db, practitioner_id, slot_minutes, tz, now)


def remove_weekly(
    database: Database, practitioner_id: int, availability_id: int,
    *, slot_minutes: int, tz: ZoneInfo, actor: str, now: datetime,
) -> None:
    """Stop a weekly opening (only the doctor's own); booked appointments stay."""
    with database.write() as db:
        row = db.scalar(select(Availability).where(
            Availability.id == availability_id, Availability.practitioner_id == practitioner_id))
        if row is None:
            raise LookupError(availability_id)
        db.delete(row)
        db.add(AuditEvent(at=now, actor=actor, action="availability.removed", subject_ref=""))
        _regenerate(db, practitioner_id, slot_minutes, tz, now)


def add_exception(
    database: Database, practitioner_id: int, day: date, kind: str,
    start: int | None, end: int | None,
    *, slot_minutes: int, tz: ZoneInfo, actor: str, now: datetime,
) -> None:
    """Time off ("off", the whole day when no times are given) or extra hours ("extra")."""
    if kind not in ("off", "extra"):
        raise Invalid("kind")
    today = now.astimezone(tz).date()
    if day < today:
        raise Invalid("past")
    if (day - today).days > MAX_DAYS_AWAY:
        raise Invalid("far")
    if (start is None) != (end is None):
        raise Invalid("time")
    if start is None and kind == "extra":
        raise Invalid("extra_needs_times")
    if start is not None and end is not None:
        _check_window(start, end)
    with database.write() as db:
        db.add(AvailabilityException(practitioner_id=practitioner_id, day=day, kind=kind,
                                     start_minute=start, end_minute=end))
        db.add(AuditEvent(at=now, actor=actor, action=f"availability.{kind}", subject_ref=""))
        _regenerate(db, practitioner_id, slot_minutes, tz, now)


def remove_exception(
    database: Database, practitioner_id: int, exception_id: int,
    *, slot_minutes: int, tz: ZoneInfo, actor: str, now: datetime,
) -> None:
    """Undo an exception (only the doctor's own)."""
    with database.write() as db:
        row = db.scalar(select(AvailabilityException).where(
            AvailabilityException.id == exception_id,
            AvailabilityException.practitioner_id == practitioner_id))
        if row is None:
            raise LookupError(exception_id)
        db.delete(row)
        db.add(AuditEvent(at=now, actor=actor, action="availability.exception_removed",
                          subject_ref=""))
        _regenerate(db, practitioner_id, slot_minutes, tz, now)


def booked_in_closed_times(
    database: Database, practitioner_id: int, tz: ZoneInfo, now: datetime,
) -> int:
    """How many future appointments sit outside the current openings (to warn the doctor)."""
    today = now.astimezone(tz).date()
    with database.read() as db:
        practitioner = db.scalar(select(Practitioner).where(Practitioner.id == practitioner_id)
                                 .options(selectinload(Practitioner.availabilities)))
        if practitioner is None:
            return 0
        exceptions = list(db.scalars(select(AvailabilityException).where(
            AvailabilityException.practitioner_id == practitioner_id,
            AvailabilityException.day >= today)))
        booked = list(db.scalars(
            select(Slot).join(Appointment, Appointment.slot_id == Slot.id).where(
                Slot.practitioner_id == practitioner_id, Slot.starts_at >= now,
                Appointment.status == "booked")))
        count = 0
        for slot in booked:
            minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
            day = slot.starts_at.astimezone(tz).date()
            # Aware datetimes compare as instants, whatever their zone.
            if slot.starts_at not in wanted_starts(practitioner, exceptions, day, minutes, tz):
                count += 1
        return count


__all__ = ["DAYS_AHEAD", "Invalid", "Pattern", "add_exception", "add_weekly",
           "booked_in_closed_times", "hhmm", "minutes_of", "pattern", "remove_exception",
           "remove_weekly"]
