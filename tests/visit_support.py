"""The visit's lifecycle as tests see it: the kiosk's cookie, the visits stored, and a visit
under way (tests/integration/test_sessions.py, tests/security/test_items_01_to_22_*)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.core.records import KioskSession
from kiosk.security.sessions import hash_token

BOOKING_EN = "A consultation with a doctor"


def cookie(client: FlaskClient) -> str | None:
    """The session cookie this browser holds, if any."""
    found = client.get_cookie("kiosk")
    return found.value if found else None


def visit_ref(client: FlaskClient) -> str:
    """The pseudonym the staff pages and the journal show for this browser's session."""
    token = cookie(client)
    assert token is not None, "this browser has no session"
    return hash_token(token)[:12]


def stored_sessions(app: Flask) -> int:
    """How many visits the database holds."""
    with get_db(app).read() as db:
        return db.scalar(select(func.count()).select_from(KioskSession)) or 0


def begin_booking_in_english(kiosk: Kiosk) -> None:
    """A visit under way: English chosen, then the first booking screen."""
    kiosk.open("/")
    kiosk.tap("English")
    assert kiosk.question == "Hello. What do you want to do?"
    kiosk.tap("Book an appointment")
    assert kiosk.question == BOOKING_EN
