"""The staff portal as a test sees it: someone at a desk browser, signing in and pressing."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import Kiosk
from werkzeug.test import TestResponse

from kiosk.core.db import get_db
from kiosk.core.records import Account, AuditEvent
from kiosk.security.accounts import hash_password


class Portal:
    """A browser on a portal (``/staff`` or ``/doctor``): opens pages, signs in, presses."""

    def __init__(self, client: FlaskClient, prefix: str = "/staff") -> None:
        self.client = client
        self.prefix = prefix
        self.response: TestResponse | None = None

    @property
    def soup(self) -> BeautifulSoup:
        assert self.response is not None
        return BeautifulSoup(self.response.get_data(as_text=True), "html.parser")

    @property
    def text(self) -> str:
        return " ".join(self.soup.get_text(" ").split())

    def open(self, path: str) -> TestResponse:
        self.response = self.client.get(path, follow_redirects=True)
        return self.response

    def token(self) -> str:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, "no CSRF token on this page"
        return str(field["value"])

    def sign_in(self, username: str = "sophie", password: str = "demo-sophie") -> TestResponse:
        self.open(f"{self.prefix}/login")
        self.response = self.client.post(
            f"{self.prefix}/login",
            data={"csrf_token": self.token(), "username": username, "password": password},
            follow_redirects=True,
        )
        return self.response

    def post(self, path: str, **data: str) -> TestResponse:
        self.response = self.client.post(path, data={"csrf_token": self.token(), **data},
                                         follow_redirects=True)
        return self.response

    def press(self, word: str, near: str = "") -> TestResponse:
        """Press the button ``word`` in the first list item or row whose text has ``near``."""
        for button in self.soup.find_all("button"):
            if " ".join(button.get_text().split()) != word:
                continue
            holder = button.find_parent(["li", "tr"])
            if near and (holder is None or near not in holder.get_text(" ")):
                continue
            form = button.find_parent("form")
            return self.post(form["action"])
        raise AssertionError(f"no button {word!r} near {near!r}")


def add_account(app: Flask, username: str, role: str, password: str = "a-long-password",
                name: str = "Ali Agent") -> None:
    with get_db(app).write() as db:
        db.add(Account(username=username, display_name=name, role=role,
                       password_hash=hash_password(password), failed_attempts=0))


def journal(app: Flask) -> list[AuditEvent]:
    with get_db(app).read() as db:
        return list(db.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def book_at_the_kiosk(kiosk: Kiosk, nir: str = "241037510804204") -> None:
    """Jeanne Durand books the earliest slot by typing, as in the booking journey test."""

    kiosk.type_who_i_am()
    kiosk.type(nir)
    kiosk.tap("Valider")
    kiosk.tap("Passer")  # phone
    kiosk.tap("Oui, c'est moi")
    kiosk.tap("Fièvre")
    for answer in ("Oui", "Non", "Oui"):  # the three questions of a fever
        kiosk.tap(answer)
    assert kiosk.soup is not None
    earliest = next(" ".join(b.get_text().split()) for b in kiosk.soup.find_all("button")
                    if " ".join(b.get_text().split()).startswith("Le plus tôt possible"))
    kiosk.tap(earliest)
    kiosk.tap("Confirmer")
    assert kiosk.question == "C'est réservé."
