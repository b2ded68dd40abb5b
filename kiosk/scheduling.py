"""Turning doctors' weekly availability into bookable slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.models import Availability, Practitioner, Slot


def slot_starts(
    availability: Availability, day: date, minutes: int, tz: ZoneInfo
) -> list[datetime]:
    """Start times (aware, in ``tz``) of the slots that ``availability`` opens on ``day``."""
    if day.weekday() != availability.weekday:
        return []
    starts = []
    minute = availability.start_minute
    while minute + minutes <= availability.end_minute:
        local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
        starts.append(local)
        minute += minutes
    return starts


def generate_slots(
    db: Session,
    practitioner: Practitioner,
    first_day: date,
    days: int,
    minutes: int,
    tz: ZoneInfo,
    not_before: datetime,
) -> int:
    """Create the missing slots of ``practitioner`` for ``days`` days from ``first_day``.

    Slots that already exist are left alone (the pair practitioner/start is unique), and none is
    created before ``not_before``. Returns how many were created.
    """
    existing = set(
        db.scalars(select(Slot.starts_at).where(Slot.practitioner_id == practitioner.id))
    )
    created = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for availability in practitioner.availabilities:
            for local in slot_starts(availability, day, minutes, tz):
                if local < not_before or local in existing:
                    continue
                db.add(
                    Slot(
                        practitioner_id=practitioner.id,
                        starts_at=local,
                        ends_at=local + timedelta(minutes=minutes),
                    )
                )
                existing.add(local)
                created += 1
    return created
