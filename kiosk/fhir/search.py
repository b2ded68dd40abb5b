"""Slot search: ``GET /fhir/Slot?status=free&start=ge...&start=le...&schedule=...&_count=...``.

Supported parameters (any other is refused with 400, so a typo never silently widens a search):

- ``status``: free, busy (comma means "or"; other FHIR slot statuses are valid but match nothing).
- ``start``: a date (``2026-12-01``, a whole day in the site's time zone) or a date-time with
  its offset (``2026-12-01T09:00:00Z``), prefixed by ``ge``, ``gt``, ``le``, ``lt`` or ``eq``
  (the default); repeat it for a range.
- ``schedule``: ``Schedule/<id>`` (one practitioner).
- ``_count`` (1 to 200, default 50) and ``_offset`` for paging; the Bundle's ``next`` link
  carries them.

Only slots that can still be arranged are listed: those starting at least ``LEAD`` from now,
of practitioners who still consult, which is what the kiosk offers too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kiosk.booking.slots import LEAD
from kiosk.fhir.outcome import Invalid
from kiosk.fhir.parse import parse_id, parse_reference
from kiosk.models import Appointment, Practitioner, Slot

PARAMETERS = ("status", "start", "schedule", "_count", "_offset")
SLOT_STATUSES = ("free", "busy", "busy-unavailable", "busy-tentative", "entered-in-error")
DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 100_000
# ASCII: \d alone would also take other scripts' digits.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)
PREFIXES = ("eq", "ge", "gt", "le", "lt")
YEARS = (1900, 2999)


@dataclass(frozen=True)
class SlotQuery:
    """A checked slot search."""

    statuses: frozenset[str] | None = None
    conditions: tuple[tuple[str, datetime, datetime], ...] = field(default_factory=tuple)
    practitioner_id: int | None = None
    count: int = DEFAULT_COUNT
    offset: int = 0


def _bounded_int(values: Sequence[str], name: str, low: int, high: int, default: int) -> int:
    if not values:
        return default
    if len(values) > 1 or not values[0].isascii() or not values[0].isdigit():
        raise Invalid(f"{name} must be one whole number from {low} to {high}.")
    number = int(values[0]) if len(values[0]) <= 7 else high + 1
    if not low <= number <= high:
        raise Invalid(f"{name} must be one whole number from {low} to {high}.")
    return number


def _interval(text: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """The span a search value stands for: a whole local day, or one instant."""
    # An unencoded "+" in a query string arrives as a space: "T09:00:00 01:00" meant "+01:00".
    if len(text) > 6 and text[-6] == " ":
        text = text[:-6] + "+" + text[-5:]
    # Years far from now would overflow when converted to UTC, and mean nothing for a slot.
    shaped = DATE.fullmatch(text) or DATE_TIME.fullmatch(text)
    if shaped and YEARS[0] <= int(text[:4]) <= YEARS[1]:
        try:
            if DATE.fullmatch(text):
                day = date.fromisoformat(text)
                start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
                end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
                return start, end
            moment = datetime.fromisoformat(text)
            return moment, moment
        except ValueError:
            pass  # the shape was right but the date does not exist (2026-02-30): same answer
    raise Invalid(
        "start must be a date (2026-12-01) or a date-time with its offset "
        "(2026-12-01T09:00:00Z or 2026-12-01T09:00:00+01:00), after ge, gt, le, lt or eq."
    )


def slot_query(args: MultiDict[str, str], tz: tzinfo) -> SlotQuery:
    """Check the search parameters of a Slot search."""
    for name in args:
        if name not in PARAMETERS:
            shown = name if name.isascii() and name.isidentifier() and len(name) <= 30 else ""
            raise Invalid(
                f"Unsupported search parameter {shown!r}; supported: {', '.join(PARAMETERS)}."
            )
    statuses: set[str] = set()
    for value in args.getlist("status"):
        for status in value.split(","):
            if status not in SLOT_STATUSES:
                raise Invalid(f"status must be among {', '.join(SLOT_STATUSES)}.")
            statuses.add(status)
    conditions = []
    for value in args.getlist("start"):
        prefix, rest = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
        conditions.append((prefix, *_interval(rest, tz)))
    practitioner_id = None
    schedules = args.getlist("schedule")
    if schedules:
        if len(schedules) > 1:
            raise Invalid("schedule may be given once.")
        practitioner_id = parse_reference(schedules[0], "Schedule") or parse_id(schedules[0])
        if practitioner_id is None:
            raise Invalid("schedule must be Schedule/<id>.")
    return SlotQuery(
        statuses=frozenset(statuses) if statuses else None,
        conditions=tuple(conditions),
        practitioner_id=practitioner_id,
        count=_bounded_int(args.getlist("_count"), "_count", 1, MAX_COUNT, DEFAULT_COUNT),
        offset=_bounded_int(args.getlist("_offset"), "_offset", 0, MAX_OFFSET, 0),
    )


def _condition(prefix: str, low: datetime, high: datetime) -> ColumnElement[bool]:
    point = low == high
    column = Slot.starts_at
    if prefix == "ge":
        return column >= low
    if prefix == "gt":
        return column > high if point else column >= high
    if prefix == "le":
        return column <= high if point else column < high
    if prefix == "lt":
        return column < low
    return column == low if point else and_(column >= low, column < high)


def _filtered(query: SlotQuery, now: datetime) -> Select[tuple[Slot, bool]]:
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
    for prefix, low, high in query.conditions:
        select_ = select_.where(_condition(prefix, low, high))
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
