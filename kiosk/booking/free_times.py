"""Choosing when: the free days, then the free times of a day, as a screen's choices.

Booking a consultation (``kiosk.booking.views``) and moving one (``kiosk.appointment.move``)
ask the same two questions, "Quel jour ?" then "À quelle heure ?"; both take their choices and
read the day chosen here.
"""

from __future__ import annotations

from datetime import date

from flask import abort, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.booking import slots
from kiosk.booking.words import day_words, slot_words, time_words
from kiosk.core.clock import site_tz, today
from kiosk.core.db import get_db
from kiosk.core.records import Slot, utcnow

Choice = dict[str, str]


def day_choices(practitioner_id: int | None) -> list[Choice]:
    """The next days with a free slot (with that doctor, if one is given)."""
    with get_db().read() as db:
        found = slots.free_days(db, utcnow(), site_tz(), 7, practitioner_id)
    return [{"value": d.isoformat(), "icon": "calendar", "word": day_words(d, today())}
            for d in found]


def posted_day() -> date:
    """The day a "Quel jour ?" screen posted (400 if it is no date)."""
    try:
        return date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        abort(400)


def day_in_path(day: str) -> date:
    """The day in a times screen's address (404 if it is no date)."""
    try:
        return date.fromisoformat(day)
    except ValueError:
        abort(404)


def time_choices(day: date, practitioner_id: int | None) -> list[Choice]:
    """The free times on ``day`` (with that doctor, if one is given), one per time."""
    with get_db().read() as db:
        found = slots.free_on(db, day, utcnow(), site_tz(), practitioner_id)
        return [{"value": f"slot:{s.id}", "icon": "clock", "word": time_words(s.starts_at)}
                for s in found]


def load_slot(slot_id: int) -> Slot | None:
    """The slot with its doctor, to say it in words (None if there is no such slot)."""
    with get_db().read() as db:
        return db.scalars(
            select(Slot).options(joinedload(Slot.practitioner)).where(Slot.id == slot_id)
        ).first()


def slot_choice(slot: Slot, value: str, icon: str = "clock") -> Choice:
    """One slot as a choice, said with its day, time and doctor ("Demain à 9 h 00 avec …")."""
    local = slot.starts_at.astimezone(site_tz())
    return {
        "value": value,
        "icon": icon,
        "word": slot_words(slot.starts_at, slot.practitioner, today(), local.date()),
    }
