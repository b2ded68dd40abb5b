"""SECURITY.md item 25 (issue 15 item 2): a visit in progress keeps its personal and health
fields sealed with the field key. A person types a NIR and a phone, picks a reason and answers
the questions; another measures their blood pressure on the cuff (the SunTech simulator on a
pty). Then every table of the database and every file under the data folder is read as a thief
would: none of those values is there, in clear or in base64."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from devices_support import cuff_unit
from flask import Flask
from sqlalchemy import inspect, select, text
from support import MONDAY_9AM_PARIS, Kiosk

from kiosk.core.db import get_db
from kiosk.core.migrate import upgrade
from kiosk.core.records import KioskSession
from kiosk.demo.data import seed_demo
from kiosk.security.keys import rotate
from kiosk.security.sessions import SEALED_KEY
from kiosk.security.vault import get_vault

NIR = "241037510804204"
PHONE = "0612345678"
TYPED = ("DURAND", "JEANNE", "1941-03-15", NIR, PHONE)
TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_-]+=*")


@pytest.fixture(params=["sqlite", "postgresql"])
def unit(request: pytest.FixtureRequest, settings: dict[str, Any]) -> Iterator[Flask]:
    """A kiosk with its cuff, on each kind of database, seeded on Monday morning."""
    extra: dict[str, Any] = {}
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        upgrade(url)
        extra["database_url"] = url
    with cuff_unit({**settings, **extra}) as (app, _cuff):
        with time_machine.travel(MONDAY_9AM_PARIS, tick=False):
            seed_demo(get_db(app), "Mairie de Test", "Europe/Paris", 15)
        yield app


def book_up_to_the_slot(kiosk: Kiosk) -> None:
    """Name, birth date, NIR, phone, reason and answers typed; the slot is the next screen."""
    kiosk.type_who_i_am()
    kiosk.type(NIR)
    kiosk.tap("Valider")
    kiosk.type(PHONE)
    kiosk.tap("Valider")
    assert kiosk.question == "Vous êtes bien Madame Jeanne DURAND ?"
    kiosk.tap("Oui, c'est moi")
    kiosk.tap("Fièvre")
    for answer in ("Oui", "Non", "Oui"):
        kiosk.tap(answer)
    assert kiosk.question == "Quand voulez-vous voir le médecin ?"


def measure_twice(kiosk: Kiosk) -> None:
    """The guided measurement, two readings, up to the result screen."""
    kiosk.get_ready_for_bp()
    for expected in ("/vitals/between", "/vitals/result"):
        assert kiosk.measure_bp() == expected
        kiosk.open(expected)
    assert kiosk.question == "Votre tension"
    assert "115 / 74" in kiosk.text  # the simulator's golden reading


def every_table(app: Flask) -> str:
    """Every row of every table, as text."""
    engine = get_db(app).engine
    rows = []
    with get_db(app).read() as db:
        for table in inspect(engine).get_table_names():
            rows += [f"{table} {tuple(r)!r}" for r in db.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(rows)


def every_file(app: Flask) -> bytes:
    """The bytes of every file under the data folder (database, its journal, caches...)."""
    root = Path(app.config["KIOSK"]["data_dir"])
    return b"\n".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def spellings(value: str) -> list[bytes]:
    """``value`` as stored in clear, or hidden only by base64 (standard or URL-safe)."""
    raw = value.encode()
    found = [raw, raw.lower()]
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        found.append(encode(raw).rstrip(b"="))
    return found


def assert_nothing_personal(haystack: bytes, where: str) -> None:
    for value in TYPED:
        for spelled in spellings(value):
            assert spelled not in haystack, f"{value!r} found in {where} as {spelled!r}"
    # Outside ciphertext: no reason, no answers, no readings, no result.
    clear = TOKEN.sub(b"", haystack)
    for pattern in (rb"fever", rb"115\D{1,8}74", rb"Votre tension est bonne", rb"breathing"):
        found = re.search(pattern, clear)
        assert not found, f"{pattern!r} in {where}: {clear[found.start() - 200:found.end()]!r}"


def test_a_visit_in_progress_leaves_nothing_personal_in_the_database_or_data_folder(
    unit: Flask,
) -> None:
    with time_machine.travel(MONDAY_9AM_PARIS, tick=True):
        booking = Kiosk(unit.test_client())
        book_up_to_the_slot(booking)
        vitals = Kiosk(unit.test_client())
        measure_twice(vitals)
        with get_db(unit).read() as db:
            visits = list(db.scalars(select(KioskSession)))
        # Both visits go on (sealed, not lost): the next screens still know them.
        assert len(visits) == 2 and all(SEALED_KEY in v.data for v in visits)
        assert booking.open("/booking/time").status_code == 200
        assert booking.question == "Quand voulez-vous voir le médecin ?"
        assert "Aujourd'hui à 9 h 15 avec le docteur" in booking.text

        assert_nothing_personal(every_table(unit).encode(), "the database's tables")
        assert_nothing_personal(every_file(unit), "the data folder")

        # `kiosk keys rotate` re-encrypts the sealed part too: the visit goes on with the
        # new key alone (the old one is dropped from the key file).
        before = {v.id_hash: v.data[SEALED_KEY] for v in visits}
        rotate(get_db(unit), get_vault(unit))
        with get_db(unit).read() as db:
            after = {v.id_hash: v.data[SEALED_KEY] for v in db.scalars(select(KioskSession))}
        assert after.keys() == before.keys()
        assert all(after[k] != before[k] for k in before)
        booking.tap(next(b for b in _buttons(booking) if b.startswith("Le plus tôt possible")))
        assert booking.question == "Vérifiez votre rendez-vous"
        assert "Madame Jeanne DURAND" in booking.text and "Fièvre" in booking.text
        vitals.open("/vitals/result")
        assert "115 / 74" in vitals.text


def _buttons(kiosk: Kiosk) -> list[str]:
    assert kiosk.soup is not None
    return [" ".join(b.get_text().split()) for b in kiosk.soup.find_all("button")]
