"""The doctor portal as a test sees it: a doctor in a browser (the staff portal's browser,
tests/staff_support.py, on /doctor), and appointments to look at."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from staff_support import Portal
from visit_support import cookie
from werkzeug.test import TestResponse

from kiosk.booking.service import Clinical, Identity, book
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Practitioner, Slot
from kiosk.security.vault import get_vault

NOW = datetime.fromisoformat("2026-11-30T08:00:00+00:00")


def slot_of(app: Flask, surname: str) -> int:
    """The first future slot of the doctor called ``surname``."""
    with get_db(app).read() as db:
        slot_id = db.scalar(
            select(Slot.id).join(Practitioner).where(
                Practitioner.surname == surname, Slot.starts_at > NOW + timedelta(minutes=30)
            ).order_by(Slot.starts_at)
        )
    assert slot_id is not None
    return int(slot_id)


def book_for(app: Flask, surname: str, key: str) -> Appointment:
    with app.app_context():
        return book(
            get_db(app), get_vault(app),
            slot_id=slot_of(app, surname),
            identity=Identity("DURAND", "Jeanne", date(1941, 3, 15)),
            clinical=Clinical("fever", {"fever": True, "allergies": False}),
            idempotency_key=key, actor="test", now=NOW,
        )


class Doctor(Portal):
    """Someone at the doctor portal in a browser: signs in, opens pages, presses buttons."""

    def __init__(self, client: FlaskClient) -> None:
        super().__init__(client, "/doctor")

    def sign_in(self, username: str = "dr.martin", password: str = "demo-martin") -> TestResponse:
        return super().sign_in(username, password)

    def cookie(self) -> str | None:
        return cookie(self.client)
