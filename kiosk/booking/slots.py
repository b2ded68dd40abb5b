"""Which slots are free: the earliest, the days that have some, the times on a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import Session

from kiosk.core.records import Appointment, Practitioner, Slot

# A slot starting sooner than this is not offered: the person needs time to finish booking.
LEAD = timedelta(minutes=5)


def _free(now: datetime, practitioner_id: int | None = None) -> Select[Slot]:
    taken = exists().where(and_(Appointment.slot_id == Slot.id, Appointment.status != "cancelled"))
    query = (
        select(Slot)
        .join(Practitioner)
        .where(Slot.starts_at >= now + LEAD, Practitioner.active, ~taken)
        .order_by(Slot.starts_at, Slot.practitioner_id)
    )
    if practitioner_id is not None:
        query = query.where(Slot.practitioner_id == practitioner_id)
    return query


def is_free(db: Session, slot_id: int, now: datetime) -> bool:
    """True if the slot exists, is not past and nobody holds it."""
    return db.scalar(_free(now).where(Slot.id == slot_id)) is not None


def earliest_free(db: Session, now: datetime, practitioner_id: int | None = None) -> Slot | None:
    """The first free slot from now on, with any doctor unless one is given."""
    return db.scalars(_free(now, practitioner_id).limit(1)).first()


def free_days(
    db: Session, now: datetime, tz: ZoneInfo, limit: int = 7, practitioner_id: int | None = None
) -> list[date]:
    """The next ``limit`` local days that have at least one free slot."""
    days: list[date] = []
    for start in db.scalars(_free(now, practitioner_id).with_only_columns(Slot.starts_at)):
        day = start.astimezone(tz).date()
        if not days or days[-1] != day:
            days.append(day)
            if len(days) == limit:
                break
    return days


def free_on(
    db: Session, day: date, now: datetime, tz: ZoneInfo, practitioner_id: int | None = None
) -> list[Slot]:
    """Free slots on a local day, one per start time (the first doctor free at that time)."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    slots = db.scalars(
        _free(now, practitioner_id).where(Slot.starts_at >= start, Slot.starts_at < end)
    ).all()
    by_time: dict[datetime, Slot] = {}
    for slot in slots:
        by_time.setdefault(slot.starts_at, slot)
    return list(by_time.values())


def alternatives(db: Session, after: datetime, now: datetime, count: int = 3) -> list[Slot]:
    """The next free slots after a time that was just taken, for "choose another time"."""
    query = _free(now).where(Slot.starts_at >= after)
    seen: dict[datetime, Slot] = {}
    for slot in db.scalars(query.limit(count * 4)):
        seen.setdefault(slot.starts_at, slot)
        if len(seen) == count:
            break
    return list(seen.values())
