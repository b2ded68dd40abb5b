"""Calling staff for a visit: the Aide button (``welcome``), or a journey that calls them itself
(the third refused code, code entry paused: ``kiosk.appointment``)."""

from __future__ import annotations

from flask import current_app

from kiosk.core.db import get_db
from kiosk.core.records import HelpRequest, utcnow
from kiosk.security.sessions import current_visit
from kiosk.visit import state as visit_state


def call_staff(screen: str) -> None:
    """Raise a help call for this visit, as the Aide button does: staff see it on their page."""
    visit = current_visit()
    if visit_state.load().journey is None:
        visit_state.update(journey="help")
    with get_db(current_app).write() as db:
        db.add(
            HelpRequest(
                created_at=utcnow(),
                # A visit begins with the call (no row exists before, SECURITY.md item 28):
                # its id is drawn now, so staff find the request under the visit's ref.
                session_ref=visit.give_id(utcnow()),
                screen=screen[:100],
            )
        )
