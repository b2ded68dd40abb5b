"""A person at the kiosk finding their appointment with the ticket's code, then giving the
second proof (SECURITY.md item 23): the birth date typed on the big keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from support import Kiosk

from kiosk import create_app
from kiosk.booking.codes import ALPHABET
from kiosk.core.db import get_db
from kiosk.core.migrate import upgrade
from kiosk.core.records import Appointment
from kiosk.demo.data import seed_demo

MONDAY = "2026-11-30 08:00 +0000"  # 9:00 in Paris
JEANNE_BORN = (15, 3, 1941)
WRONG = "Le code ou la date de naissance ne correspond pas. Vérifiez et recommencez."

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


@pytest.fixture
def unit(database_url: str, settings: dict[str, Any], clock: time_machine.Traveller
         ) -> Iterator[Flask]:
    """A kiosk on each database, with the demo's doctors, slots and staff."""
    upgrade(database_url)
    app = create_app({**settings, "database_url": database_url})
    seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
    yield app
    get_db(app).dispose()


def type_code(kiosk: Kiosk, code: str) -> None:
    """From the welcome screen: J'ai un rendez-vous, the code on the keypad, Valider."""
    kiosk.open("/")
    kiosk.tap("J'ai un rendez-vous")
    assert kiosk.question == "Comment trouver votre rendez-vous ?"
    kiosk.tap("Avec le code du rendez-vous")
    for char in code:
        kiosk.tap(char)
    kiosk.tap("Valider")


def give_birth_date(kiosk: Kiosk, day: int, month: int, year: int) -> None:
    """On "Pour votre sécurité": the birth date, as when booking (day, month, year)."""
    assert kiosk.question == "Pour votre sécurité", kiosk.question
    kiosk.tap("Taper ma date de naissance")
    kiosk.tap(str(day))
    kiosk.tap(MONTHS[month - 1])
    for digit in str(year):
        kiosk.tap(digit)
    kiosk.tap("Valider")


def find_by_code(kiosk: Kiosk, code: str, born: tuple[int, int, int]) -> None:
    """The code typed, then the birth date (day, month, year) as the second proof."""
    type_code(kiosk, code)
    give_birth_date(kiosk, *born)


def unknown_code(app: Flask, index: int = 0) -> str:
    """The ``index``-th well-formed code that no appointment has."""
    with get_db(app).read() as db:
        real = set(db.scalars(select(Appointment.code)))
    candidates = (a + b + "2345" for a in ALPHABET for b in ALPHABET)
    return [c for c in candidates if c not in real][index]


def one_wrong_try(kiosk: Kiosk, code: str, born: tuple[int, int, int] = (1, 1, 1950)) -> None:
    """A code, then a birth date that is not its appointment's (if it has one)."""
    type_code(kiosk, code)
    give_birth_date(kiosk, *born)


def wrong_tries(app: Flask, count: int, first: int = 0) -> Kiosk:
    """``count`` wrong tries at the unit, three per visit (a fourth is stopped) with unknown
    codes from the ``first``-th on. Returns the last visit."""
    kiosk = Kiosk(app.test_client())
    for index in range(first, first + count):
        if (index - first) % 3 == 0:
            kiosk = Kiosk(app.test_client())
        one_wrong_try(kiosk, unknown_code(app, index))
    return kiosk
