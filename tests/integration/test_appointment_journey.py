""""J'ai un rendez-vous": find by code, see, move, cancel with a confirmation."""

from __future__ import annotations

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from support import Kiosk

from kiosk.db import get_db
from kiosk.models import Appointment, AuditEvent
from kiosk.seed import seed_demo

MONDAY = "2026-11-30 08:00 +0000"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booked(app: Flask, clock) -> str:
    """Someone booked the earliest slot earlier; returns the code on their ticket."""
    seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    for word in ("Prendre rendez-vous", "Continuer", "Je n'ai pas de carte",
                 *"DURAND", "Valider", *"LUC", "Valider", "3", "mars", *"1950", "Valider",
                 "Passer", "Passer", "Oui, c'est moi", "Autre", "Passer les questions"):
        kiosk.tap(word)
    kiosk.tap(next(b for b in buttons(kiosk) if b.startswith("Le plus tôt")))
    kiosk.tap("Confirmer")
    return kiosk.soup.select_one(".code").get_text(strip=True)


def buttons(kiosk: Kiosk) -> list[str]:
    return [" ".join(b.get_text().split()) for b in kiosk.soup.find_all("button")]


def find_by_code(kiosk: Kiosk, code: str) -> None:
    kiosk.open("/")
    kiosk.tap("J'ai un rendez-vous")
    assert kiosk.question == "Comment trouver votre rendez-vous ?"
    kiosk.tap("Avec le code du rendez-vous")
    for char in code:
        kiosk.tap(char)
    kiosk.tap("Valider")


def appointment(app: Flask, code: str) -> Appointment:
    with get_db(app).read() as db:
        row = db.scalars(select(Appointment).where(Appointment.code == code)).one()
        row.slot  # noqa: B018  (load it while the session is open)
        return row


def test_found_by_code_it_shows_the_time_in_words(app: Flask, booked: str, clock,
                                                  kiosk: Kiosk) -> None:
    find_by_code(kiosk, booked)
    assert kiosk.question == "Votre rendez-vous"
    assert "Aujourd'hui à 9 h 15 avec le docteur" in kiosk.text
    assert "Pour Luc DURAND." in kiosk.text
    assert {"Changer l'heure", "Annuler le rendez-vous"} <= set(buttons(kiosk))


def test_a_wrong_code_is_explained_and_kept(app: Flask, booked: str, clock, kiosk: Kiosk) -> None:
    wrong = "ZZZZZZ" if booked != "ZZZZZZ" else "YYYYYY"
    find_by_code(kiosk, wrong)
    assert "Je ne trouve pas ce rendez-vous. Vérifiez le code." in kiosk.text
    assert kiosk.soup.select_one("output.typed").get_text(strip=True) == wrong


def test_cancelling_asks_first_and_no_keeps_it(app: Flask, booked: str, clock,
                                               kiosk: Kiosk) -> None:
    find_by_code(kiosk, booked)
    kiosk.tap("Annuler le rendez-vous")
    assert kiosk.question == "Voulez-vous vraiment annuler ce rendez-vous ?"
    kiosk.tap("Non, le garder")
    assert kiosk.question == "Votre rendez-vous"
    assert appointment(app, booked).status == "booked"
    kiosk.tap("Annuler le rendez-vous")
    kiosk.tap("Oui, annuler")
    assert kiosk.question == "Votre rendez-vous est annulé."
    assert appointment(app, booked).status == "cancelled"
    with get_db(app).read() as db:
        actions = list(db.scalars(select(AuditEvent.action)))
    assert actions == ["appointment.booked", "appointment.cancelled"]
    find_by_code(Kiosk(app.test_client()), booked)  # a cancelled code finds nothing


def test_moving_to_the_earliest_other_time(app: Flask, booked: str, clock, kiosk: Kiosk) -> None:
    before = appointment(app, booked).slot.starts_at
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    assert kiosk.question == "Quand voulez-vous venir ?"
    kiosk.tap(next(b for b in buttons(kiosk) if b.startswith("Le plus tôt")))
    assert kiosk.question == "C'est changé."
    moved = appointment(app, booked)
    assert moved.slot.starts_at > before and moved.slot.practitioner_id is not None
    assert booked in kiosk.text  # the same code, a new time


def test_moving_to_a_chosen_day_and_time(app: Flask, booked: str, clock, kiosk: Kiosk) -> None:
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    kiosk.tap("Choisir un autre jour")
    assert kiosk.question == "Quel jour ?"
    kiosk.tap("Demain")
    assert kiosk.question == "À quelle heure ?"
    first_time = next(b for b in buttons(kiosk) if " h " in b)
    kiosk.tap(first_time)
    assert kiosk.question == "C'est changé."
    assert f"Demain à {first_time}" in kiosk.text
