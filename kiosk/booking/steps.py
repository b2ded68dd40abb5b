"""What the booking screens share: a step's screen (with its place among the steps), and the
screen of a slot taken meanwhile, which the time screen and the confirmation both show."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from kiosk.booking import draft, slots
from kiosk.booking.blueprint import TOTAL_STEPS
from kiosk.booking.free_times import load_slot, slot_choice
from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.visit.screens import render_screen


def step_screen(step: int, template: str = "booking/choices.html", **context: Any) -> str:
    """A booking screen, ``step`` of the journey's steps."""
    return render_screen(template, step=step, total=TOTAL_STEPS, **context)


def slot_taken(slot_id: int) -> str:
    """ "Ce créneau vient d'être pris", with the next free times: never an error page."""
    draft.forget_attempt()
    state = draft.draft()
    state.slot_id = None
    draft.save(state)
    slot = load_slot(slot_id)
    after = slot.starts_at if slot else utcnow()
    with get_db().read() as db:
        options = [slot_choice(s, f"slot:{s.id}") for s in slots.alternatives(db, after, utcnow())]
    options.append({"value": "days", "icon": "calendar", "word": _("Choisir un autre jour")})
    return step_screen(
        4,
        question=_("Ce créneau vient d'être pris."),
        lines=[_("Quelqu'un l'a choisi juste avant vous. Choisissez une autre heure.")],
        options=options,
        name="choice",
        action="/booking/time",
        back="/booking/time",
    )
