"""Turning doctors' weekly availability and its exceptions into bookable slots.

The weekly pattern opens times; an exception of kind "extra" opens more on one day, and one of
kind "off" closes a window (or the whole day). Generation is repeatable: it creates the slots
that should exist and removes free future slots that no longer should. A slot someone booked is
never removed here (nor one with a cancelled appointment, whose history it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kiosk.core.records import Appointment, Availability, AvailabilityException, Practitioner, Slot


def _starts(
    day: date, start_minute: int, end_minute: int, minutes: int, tz: ZoneInfo
) -> list[datetime]:
    starts = []
    minute = start_minute
    while minute + minutes <= end_minute:
        starts.append(datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz))
        minute += minutes
    return starts


def slot_starts(
    availability: Availability, day: date, minutes: int, tz: ZoneInfo
) -> list[datetime]:
    """Start times (aware, in ``tz``) of the slots a weekly ``availability`` opens on ``day``."""
    if day.weekday() != availability.weekday:
        return []
    return _starts(day, availability.start_minute, availability.end_minute, minutes, tz)


def _closed(start: datetime, minutes: int, offs: Iterable[AvailabilityException]) -> bool:
    """True if a slot starting at ``start`` overlaps a time-off window of its day."""
    local = start.hour * 60 + start.minute
    for off in offs:
        if off.start_minute is None or off.end_minute is None:
            return True
        if local < off.end_minute and local + minutes > off.start_minute:
            return True
    return False


def wanted_starts(
    practitioner: Practitioner,
    exceptions: list[AvailabilityException],
    day: date,
    minutes: int,
    tz: ZoneInfo,
) -> set[datetime]:
    """Every slot start ``practitioner`` should offer on ``day``, exceptions applied."""
    today = [e for e in exceptions if e.day == day]
    starts: set[datetime] = set()
    for availability in practitioner.availabilities:
        starts.update(slot_starts(availability, day, minutes, tz))
    for extra in (e for e in today if e.kind == "extra"):
        starts.update(_starts(day, extra.start_minute or 0, extra.end_minute or 1440, minutes, tz))
    offs = [e for e in today if e.kind == "off"]
    return {s for s in starts if not _closed(s, minutes, offs)}


def generate_slots(
    db: Session,
    practitioner: Practitioner,
    first_day: date,
    days: int,
    minutes: int,
    tz: ZoneInfo,
    not_before: datetime,
) -> int:
    """Bring ``practitioner``'s slots for ``days`` days from ``first_day`` in line with the
    pattern and exceptions. Returns how many slots were created."""
    last_day = first_day + timedelta(days=days)
    exceptions = list(
        db.scalars(
            select(AvailabilityException).where(
                AvailabilityException.practitioner_id == practitioner.id,
                AvailabilityException.day >= first_day,
                AvailabilityException.day < last_day,
            )
        )
    )
    wanted: set[datetime] = set()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        wanted.update(
            s for s in wanted_starts(practitioner, exceptions, day, minutes, tz) if s >= not_before
        )
    window_start = max(datetime.combine(first_day, time(), tzinfo=tz), not_before)
    window_end = datetime.combine(last_day, time(), tzinfo=tz)
    # Any appointment, even cancelled, keeps its slot: it is the appointment's history.
    referenced = exists().where(Appointment.slot_id == Slot.id)
    existing = {
        slot.starts_at: slot
        for slot in db.scalars(
            select(Slot).where(
                Slot.practitioner_id == practitioner.id,
                Slot.starts_at >= window_start,
                Slot.starts_at < window_end,
            )
        )
    }
    free_ids = set(
        db.scalars(
            select(Slot.id).where(
                Slot.practitioner_id == practitioner.id,
                Slot.starts_at >= window_start,
                Slot.starts_at < window_end,
                ~referenced,
            )
        )
    )
    for start, slot in existing.items():
        if start not in wanted and slot.id in free_ids:
            db.delete(slot)
    created = 0
    for start in sorted(wanted):
        if start not in existing:
            db.add(
                Slot(
                    practitioner_id=practitioner.id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=minutes),
                )
            )
            created += 1
    return created
