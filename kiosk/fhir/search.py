"""Slot search: ``GET /fhir/Slot?status=free&start=ge...&start=le...&schedule=...&_count=...``.

Parameters (the common rules are in ``kiosk.fhir.params``):

- ``status``: free, busy (other FHIR slot statuses are valid but match nothing).
- ``start``: the slot's start, a date or a date-time with prefixes; repeat it for a range.
- ``schedule``: ``Schedule/<id>`` (one practitioner), given once.
- ``_include=Slot:schedule`` adds the Schedules.

Only slots that can still be arranged are listed: those starting at least ``LEAD`` from now,
of practitioners who still consult, which is what the kiosk offers too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import Select, and_, exists, false, func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kiosk.booking.slots import LEAD
from kiosk.core.records import Appointment, Practitioner, Slot
from kiosk.fhir.outcome import Invalid
from kiosk.fhir.params import (
    Param,
    Search,
    Spec,
    date_clause,
    date_conditions,
    either,
    read_search,
    reference_ids,
    register,
)

SLOT_STATUSES = ("free", "busy", "busy-unavailable", "busy-tentative", "entered-in-error")
SLOTS = register(
    Spec(
        "Slot",
        (
            Param("schedule", "reference", "Schedule/<id>: one practitioner's slots."),
            Param("status", "token", "free or busy (a slot the kiosk can no longer offer)."),
            Param("start", "date", "When the slot starts; a date is a day in the site's zone."),
        ),
        includes=("Slot:schedule",),
    )
)


@dataclass(frozen=True)
class SlotQuery:
    """A checked slot search."""

    search: Search
    statuses: frozenset[str] | None
    conditions: tuple[tuple[str, datetime, datetime], ...]
    practitioner_id: int | None

    @property
    def count(self) -> int:
        return self.search.count

    @property
    def offset(self) -> int:
        return self.search.offset


def slot_query(args: MultiDict[str, str], tz: tzinfo, lenient: bool = False) -> SlotQuery:
    """Check the search parameters of a Slot search."""
    search = read_search(SLOTS, args, lenient)
    statuses: set[str] = set()
    for value in search.get("status"):
        for status in either(value):
            if status not in SLOT_STATUSES:
                raise Invalid(f"status must be among {', '.join(SLOT_STATUSES)}.")
            statuses.add(status)
    practitioner_id = None
    schedules = search.get("schedule")
    if schedules:
        ids = reference_ids(schedules[0], "Schedule", "schedule")
        if len(schedules) > 1 or len(ids) > 1:
            raise Invalid("schedule may be given once.")
        practitioner_id = ids[0]
    return SlotQuery(
        search=search,
        statuses=frozenset(statuses) if statuses else None,
        conditions=tuple(date_conditions(search.get("start"), tz, "start")),
        practitioner_id=practitioner_id,
    )


def _filtered(query: SlotQuery, now: datetime) -> Select[Slot, bool]:
    busy = exists().where(and_(Appointment.slot_id == Slot.id, Appointment.status != "cancelled"))
    select_ = (
        select(Slot, busy.label("busy"))
        .join(Practitioner)
        .where(Practitioner.active, Slot.starts_at >= now + LEAD)
    )
    wanted = query.statuses
    if wanted is not None:
        shows_free, shows_busy = "free" in wanted, "busy" in wanted
        if shows_free and not shows_busy:
            select_ = select_.where(~busy)
        elif shows_busy and not shows_free:
            select_ = select_.where(busy)
        elif not shows_free and not shows_busy:
            select_ = select_.where(false())  # only statuses the kiosk never gives: nothing
    select_ = select_.where(date_clause(Slot.starts_at, query.conditions))
    if query.practitioner_id is not None:
        select_ = select_.where(Slot.practitioner_id == query.practitioner_id)
    return select_


def search_slots(
    db: Session, query: SlotQuery, now: datetime
) -> tuple[list[tuple[Slot, bool]], int]:
    """One page of matching slots, each with whether it is busy, and the total number."""
    select_ = _filtered(query, now)
    total = db.scalar(select(func.count()).select_from(select_.subquery())) or 0
    page = db.execute(
        select_.order_by(Slot.starts_at, Slot.practitioner_id, Slot.id)
        .limit(query.count)
        .offset(query.offset)
    ).all()
    return [(slot, bool(is_busy)) for slot, is_busy in page], total
