"""The doctor portal as a test sees it: a doctor in a browser, and appointments to look at."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.booking.service import Clinical, Identity, book
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Practitioner, Slot
from kiosk.security.vault import get_vault

MONDAY_9AM_PARIS = "2026-11-30 08:00 +0000"
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


class Doctor:
    """Someone at the portal in a browser: signs in, opens pages, presses buttons."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.response: TestResponse | None = None

    @property
    def text(self) -> str:
        """The visible text of the last page, whitespace collapsed."""
        assert self.response is not None
        soup = BeautifulSoup(self.response.get_data(as_text=True), "html.parser")
        return " ".join(soup.get_text(" ").split())

    def open(self, path: str) -> TestResponse:
        self.response = self.client.get(path, follow_redirects=True)
        return self.response

    def token(self) -> str:
        assert self.response is not None
        soup = BeautifulSoup(self.response.get_data(as_text=True), "html.parser")
        field = soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None
        return str(field["value"])

    def sign_in(self, username: str = "dr.martin", password: str = "demo-martin") -> TestResponse:
        self.open("/doctor/login")
        self.response = self.client.post(
            "/doctor/login",
            data={"csrf_token": self.token(), "username": username, "password": password},
            follow_redirects=True,
        )
        return self.response

    def post(self, path: str, **data: str) -> TestResponse:
        self.response = self.client.post(
            path, data={"csrf_token": self.token(), **data}, follow_redirects=True
        )
        return self.response

    def cookie(self) -> str | None:
        found = self.client.get_cookie("kiosk")
        return None if found is None else found.value
