""""J'ai un rendez-vous": find by code, see, move, cancel with a confirmation."""

from __future__ import annotations

from datetime import date

import proof_support
import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from support import Kiosk

from kiosk.booking import slots
from kiosk.booking.service import Clinical, Identity, OtherDoctor, book, move
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, AuditEvent, Slot, utcnow
from kiosk.demo.data import seed_demo
from kiosk.security.vault import get_vault

MONDAY = "2026-11-30 08:00 +0000"
LUC_BORN = (3, 3, 1950)
WRONG = "Le code ou la date de naissance ne correspond pas. Vérifiez et recommencez."


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
    for word in ("Prendre rendez-vous", "Je n'ai pas de carte",
                 *"DURAND", "Valider", *"LUC", "Valider", "3", "mars", *"1950", "Valider",
                 "Passer", "Passer", "Oui, c'est moi", "Autre", "Passer les questions"):
        kiosk.tap(word)
    kiosk.tap(next(b for b in buttons(kiosk) if b.startswith("Le plus tôt")))
    kiosk.tap("Confirmer")
    return kiosk.soup.select_one(".code").get_text(strip=True)


def buttons(kiosk: Kiosk) -> list[str]:
    return [" ".join(b.get_text().split()) for b in kiosk.soup.find_all("button")]


def find_by_code(kiosk: Kiosk, code: str) -> None:
    """The code, then Luc DURAND's birth date as the second proof."""
    proof_support.find_by_code(kiosk, code, LUC_BORN)


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


def test_a_wrong_code_asks_the_second_proof_then_gets_the_one_answer(
        app: Flask, booked: str, clock, kiosk: Kiosk) -> None:
    wrong = "ZZZZZZ" if booked != "ZZZZZZ" else "YYYYYY"
    proof_support.type_code(kiosk, wrong)
    assert kiosk.question == "Pour votre sécurité"  # nothing says the code is unknown yet
    proof_support.give_birth_date(kiosk, *LUC_BORN)
    assert kiosk.question == "Quel est le code de votre rendez-vous ?"
    assert WRONG in kiosk.text
    assert kiosk.soup.select_one("output.typed").get_text(strip=True) == ""  # start again


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
    again = Kiosk(app.test_client())
    find_by_code(again, booked)  # a cancelled code finds nothing, said as for any wrong one
    assert WRONG in again.text


def test_moving_to_the_earliest_other_time(app: Flask, booked: str, clock, kiosk: Kiosk) -> None:
    before = appointment(app, booked).slot.starts_at
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    assert kiosk.question == "Quand voulez-vous venir ?"
    earliest = next(b for b in buttons(kiosk) if b.startswith("Le plus tôt"))
    kiosk.tap(earliest)
    # Nothing moves on a touch: the new time is said first, as for cancelling.
    assert kiosk.question == "Déplacer votre rendez-vous au lundi 30 novembre à 9 h 30 ?"
    assert "Avant : Aujourd'hui à 9 h 15 avec le docteur" in kiosk.text
    assert appointment(app, booked).slot.starts_at == before
    yes = kiosk.soup.find("button", attrs={"value": "yes"})
    assert yes is not None and yes.has_attr("data-voice-confirm")  # read back when said
    words = [" ".join(b.get_text().split()) for b in kiosk.soup.select("main button")]
    assert words == ["Oui, déplacer", "Non, choisir une autre heure"]
    kiosk.tap("Non, choisir une autre heure")
    assert kiosk.question == "Quand voulez-vous venir ?"
    assert appointment(app, booked).slot.starts_at == before
    kiosk.tap(earliest)
    kiosk.tap("Oui, déplacer")
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
    assert kiosk.question == f"Déplacer votre rendez-vous au mardi 1 décembre à {first_time} ?"
    kiosk.tap("Oui, déplacer")
    assert kiosk.question == "C'est changé."
    assert f"Demain à {first_time}" in kiosk.text


def test_a_time_taken_while_the_move_is_asked_is_said_plainly(app: Flask, booked: str, clock,
                                                              kiosk: Kiosk) -> None:
    before = appointment(app, booked).slot.starts_at
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    kiosk.tap(next(b for b in buttons(kiosk) if b.startswith("Le plus tôt")))
    assert kiosk.question.startswith("Déplacer votre rendez-vous au ")
    # Someone else books that very time meanwhile.
    doctor = appointment(app, booked).slot.practitioner_id
    with get_db(app).read() as db:
        taken = db.scalar(select(Slot.id).where(
            Slot.practitioner_id == doctor, Slot.starts_at > before).order_by(Slot.starts_at))
    with app.app_context():
        book(get_db(app), get_vault(app), slot_id=taken,
             identity=Identity("MARTIN", "Anne", date(1960, 5, 4)), clinical=Clinical("other"),
             idempotency_key="other", actor="test", now=utcnow())
    kiosk.tap("Oui, déplacer")
    assert kiosk.question == "Quand voulez-vous venir ?"
    assert "Ce créneau vient d'être pris. Choisissez une autre heure." in kiosk.text
    assert appointment(app, booked).slot.starts_at == before


def _free_slots(app: Flask, same_doctor_as: str) -> tuple[list[int], list[int]]:
    """Free future slots of the appointment's doctor, and of every other doctor."""
    mine = appointment(app, same_doctor_as)
    with get_db(app).read() as db:
        free = [s for s in db.scalars(select(Slot).order_by(Slot.starts_at))
                if slots.is_free(db, s.id, utcnow())]
    return ([s.id for s in free if s.practitioner_id == mine.slot.practitioner_id],
            [s.id for s in free if s.practitioner_id != mine.slot.practitioner_id])


def _offered(kiosk: Kiosk) -> set[int]:
    return {int(str(b["value"]).removeprefix("slot:"))
            for b in kiosk.soup.select("main button[name=choice]")
            if str(b.get("value", "")).startswith("slot:")}


def test_moving_offers_only_the_same_doctors_times(app: Flask, booked: str, clock,
                                                   kiosk: Kiosk) -> None:
    """Issue 15 item 10: the screens say "Avec le même médecin" and offer nothing else."""
    mine, others = _free_slots(app, booked)
    assert mine and others  # the demo has several doctors with free times
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    assert "Avec le même médecin." in kiosk.text
    offered = _offered(kiosk)
    kiosk.tap("Choisir un autre jour")
    days = [" ".join(b.get_text().split()) for b in kiosk.soup.select("main button[name=day]")]
    for day in days[:3]:
        kiosk.tap(day)
        offered |= _offered(kiosk)
        kiosk.open("/appointment/move/days")
    assert len(offered) > 3 and offered <= set(mine)


def test_a_forged_move_to_another_doctors_time_is_refused_and_nothing_is_lost(
    app: Flask, booked: str, clock, kiosk: Kiosk
) -> None:
    """Issue 15 item 10: another doctor's slot id sent by hand is refused with a plain
    sentence; the appointment stays as it was, that time stays free, and the person can still
    move to one of their own doctor's times."""
    before = appointment(app, booked)
    mine, others = _free_slots(app, booked)
    find_by_code(kiosk, booked)
    kiosk.tap("Changer l'heure")
    forged = others[0]
    kiosk._keep(kiosk.client.post("/appointment/move", follow_redirects=True, data={
        "csrf_token": kiosk.csrf_token(), "choice": f"slot:{forged}"}))
    assert kiosk.response is not None and kiosk.response.status_code == 200
    assert kiosk.question == "Quand voulez-vous venir ?"
    assert "Choisissez une heure avec votre médecin." in kiosk.text
    # Saying yes now confirms nothing: no move was pending.
    kiosk.client.post("/appointment/move/confirm",
                      data={"csrf_token": kiosk.csrf_token(), "answer": "yes"})
    after = appointment(app, booked)
    assert (after.slot_id, after.slot.practitioner_id) == (before.slot_id,
                                                          before.slot.practitioner_id)
    with get_db(app).read() as db:
        assert slots.is_free(db, forged, utcnow())
    # The way forward: the same doctor's earliest time, as offered.
    kiosk.tap(next(b for b in buttons(kiosk) if b.startswith("Le plus tôt")))
    kiosk.tap("Oui, déplacer")
    assert kiosk.question == "C'est changé."
    moved = appointment(app, booked)
    assert moved.slot_id in mine and moved.slot.practitioner_id == before.slot.practitioner_id


def test_the_booking_service_refuses_a_move_to_another_doctor(app: Flask, booked: str,
                                                              clock) -> None:
    """The same rule below the screens: whatever calls ``move`` (issue 15 item 10)."""
    before = appointment(app, booked)
    mine, others = _free_slots(app, booked)
    with pytest.raises(OtherDoctor):
        move(get_db(app), booked, others[0], "test", utcnow())
    assert appointment(app, booked).slot_id == before.slot_id
    assert move(get_db(app), booked, mine[0], "test", utcnow()).slot_id == mine[0]
