"""SECURITY.md item 23: a booking code is a reference, not a key.

The code typed (or the ticket's QR code scanned) only shows the ticket is in hand. Before the
name, cancelling, moving, checking in or the call, the person gives a second proof: the birth
date typed on the big keys, the card in the slot, or the yes to a helper in assisted mode.
Everything goes through HTTP as a person at the kiosk would, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from proof_support import JEANNE_BORN, MONDAY, WRONG, give_birth_date, type_code
from sqlalchemy import select
from staff_support import Portal
from support import Kiosk, wait_until

from kiosk import create_app
from kiosk.booking.service import Clinical, Identity, book
from kiosk.core import runtime
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, AuditEvent, Slot, utcnow
from kiosk.demo.data import seed_demo
from kiosk.security.sessions import hash_token
from kiosk.security.vault import get_vault
from peripherals import sim
from peripherals.sim.pcscd import PrivatePcscd

JEANNE_BORN_DATE = date(1941, 3, 15)
READER = "Virtual PCD 00 00"




def book_jeanne(app: Flask, key: str = "jeanne", minutes: int = 5) -> Appointment:
    """Jeanne DURAND (born 15 March 1941) booked earlier, a slot soon after 9:00."""
    starts = utcnow() + timedelta(minutes=minutes)
    with get_db(app).write() as db:
        slot = db.scalars(select(Slot).where(Slot.starts_at >= starts)
                          .order_by(Slot.starts_at)).first()
        assert slot is not None
        slot_id = slot.id
    with app.app_context():
        return book(get_db(app), get_vault(app), slot_id=slot_id,
                    identity=Identity("DURAND", "Jeanne", JEANNE_BORN_DATE),
                    clinical=Clinical("fever", {"fever": True}), idempotency_key=key,
                    actor="test", now=utcnow())


def status_of(app: Flask, code: str) -> str:
    with get_db(app).read() as db:
        return str(db.scalar(select(Appointment.status).where(Appointment.code == code)))


def test_a_fresh_visit_that_types_a_real_code_sees_no_name(unit: Flask) -> None:
    code = book_jeanne(unit).code
    kiosk = Kiosk(unit.test_client())
    type_code(kiosk, code)
    assert kiosk.question == "Pour votre sécurité"
    assert "Tapez votre date de naissance." in kiosk.text  # no reader here: no card offered
    assert "DURAND" not in kiosk.text.upper() and "JEANNE" not in kiosk.text.upper()
    kiosk.open("/appointment/view")  # straight to the appointment: not without the proof
    assert kiosk.question == "Comment trouver votre rendez-vous ?"
    assert "DURAND" not in kiosk.text.upper() and " ".join(code) not in kiosk.text


def test_the_birth_date_typed_opens_the_appointment(unit: Flask) -> None:
    code = book_jeanne(unit).code
    kiosk = Kiosk(unit.test_client())
    type_code(kiosk, code)
    kiosk.tap("Taper ma date de naissance")
    assert kiosk.question == "Votre date de naissance : quel jour ?"
    kiosk.tap("15")
    assert kiosk.question == "Votre date de naissance : quel mois ?"
    kiosk.tap("mars")
    assert kiosk.question == "Votre date de naissance : quelle année ?"
    for digit in "1941":
        kiosk.tap(digit)
    kiosk.tap("Valider")
    assert kiosk.question == "Votre rendez-vous"
    assert "Pour Jeanne DURAND." in kiosk.text and " ".join(code) in kiosk.text


def test_a_date_that_cannot_be_a_birth_date_is_a_typing_slip_not_a_try(unit: Flask) -> None:
    """As when booking: 31 February is said to be wrong where it was typed, and not counted."""
    code = book_jeanne(unit).code
    kiosk = Kiosk(unit.test_client())
    type_code(kiosk, code)
    give_birth_date(kiosk, 31, 2, 1941)
    assert kiosk.question == "Votre date de naissance : quelle année ?"
    assert "Cette date n'existe pas. Vérifiez le jour." in kiosk.text
    with get_db(unit).read() as db:
        assert db.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "appointment.proof_refused")).all() == []


def test_a_helper_in_assisted_mode_is_the_second_proof(unit: Flask) -> None:
    code = book_jeanne(unit).code
    kiosk = Kiosk(unit.test_client())
    kiosk.open("/")
    kiosk.tap("J'ai un rendez-vous")
    ref = hash_token(kiosk.client.get_cookie("kiosk").value)[:12]  # type: ignore[union-attr]
    sophie = Portal(unit.test_client())
    sophie.sign_in()
    sophie.open("/staff/")
    sophie.press("Aider", near=ref)
    kiosk.open("/assist/question")
    kiosk.tap("Oui")
    kiosk.open("/appointment/")
    kiosk.tap("Avec le code du rendez-vous")
    for char in "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY":  # a slip: the one answer
        kiosk.tap(char)
    kiosk.tap("Valider")
    assert kiosk.question == "Quel est le code de votre rendez-vous ?" and WRONG in kiosk.text
    for char in code:
        kiosk.tap(char)
    kiosk.tap("Valider")
    assert kiosk.question == "Votre rendez-vous"  # Sophie stands beside her: no date asked
    assert "Pour Jeanne DURAND." in kiosk.text


def test_without_the_second_proof_nothing_can_be_done_with_the_appointment(
        unit: Flask, clock: time_machine.Traveller) -> None:
    """Cancel, move, check in, and the consultation's screens: each refused with the ticket
    alone, even posted straight to their addresses."""
    appointment = book_jeanne(unit)
    code = appointment.code
    with get_db(unit).read() as db:
        starts = db.get(Slot, appointment.slot_id).starts_at  # type: ignore[union-attr]
    clock.move_to(starts - timedelta(minutes=5))  # its time: check-in would be allowed
    kiosk = Kiosk(unit.test_client())
    type_code(kiosk, code)
    assert kiosk.question == "Pour votre sécurité"
    token = kiosk.csrf_token()
    with get_db(unit).read() as db:
        other_slot = db.scalars(select(Slot.id).where(Slot.id != appointment.slot_id)
                                .where(Slot.starts_at > starts)).first()
    posts = [("/appointment/cancel", {"answer": "yes"}),
             ("/appointment/view", {"do": "consult"}),
             ("/appointment/move", {"choice": f"slot:{other_slot}"}),
             ("/appointment/move/confirm", {"answer": "yes"})]
    for path, form in posts:
        kiosk.client.post(path, data={"csrf_token": token, **form}, follow_redirects=True)
    for path in ("/appointment/view", "/appointment/cancel", "/appointment/move",
                 "/appointment/move/confirm", "/consult/tension", "/consult/accord",
                 "/consult/fin"):
        page = kiosk.open(path)
        assert "DURAND" not in page.get_data(as_text=True).upper(), path
        assert kiosk.question == "Comment trouver votre rendez-vous ?", path
    assert status_of(unit, code) == "booked"  # not cancelled, not checked in
    with get_db(unit).read() as db:
        assert db.scalar(select(Appointment.slot_id).where(Appointment.code == code)) \
            == appointment.slot_id  # not moved
    # The same person with the birth date: now it can start.
    kiosk.open("/appointment/prove")
    give_birth_date(kiosk, *JEANNE_BORN)
    kiosk.tap("Commencer la consultation")
    assert status_of(unit, code) == "checked-in"


def test_the_proof_is_for_one_appointment_only(unit: Flask) -> None:
    """Proven for one appointment, a second code typed in the same visit is a new ticket in
    hand: the first proof does not open it."""
    mine = book_jeanne(unit, "jeanne-1")
    with get_db(unit).read() as db:
        slot = db.scalars(select(Slot).where(Slot.id != mine.slot_id)
                          .where(Slot.starts_at > utcnow()).order_by(Slot.starts_at)).first()
        assert slot is not None
    with unit.app_context():
        other = book(get_db(unit), get_vault(unit), slot_id=slot.id,
                     identity=Identity("MARTIN", "Paul", date(1960, 1, 1)),
                     clinical=Clinical("other"), idempotency_key="paul", actor="test",
                     now=utcnow())
    kiosk = Kiosk(unit.test_client())
    type_code(kiosk, mine.code)
    give_birth_date(kiosk, *JEANNE_BORN)
    assert "Pour Jeanne DURAND." in kiosk.text
    type_code(kiosk, other.code)
    assert kiosk.question == "Pour votre sécurité"
    kiosk.open("/appointment/view")
    assert "MARTIN" not in kiosk.text and "DURAND" not in kiosk.text


# The card in the slot as the second proof: the private pcscd with a virtual reader.

@pytest.fixture
def card_unit(settings: dict[str, Any], virtual_readers: PrivatePcscd
              ) -> Iterator[Callable[[str], Any]]:
    """A kiosk with the card reader running; ``put_in(scenario)`` puts a card in."""
    started: list[Any] = []
    app = create_app({**settings, "card_reader": READER})
    with time_machine.travel(MONDAY, tick=False):
        seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)

    def present() -> bool | None:
        devices = app.extensions.get("kiosk_devices")
        return devices.card_present() if devices is not None else None

    def put_in(scenario: str) -> Any:
        """The card of ``scenario`` in the slot (the one before taken out first), once the
        running reader has seen it come out and the new one come in."""
        if started:
            started[-1].stop()
            wait_until(lambda: present() is False)
        started.append(sim.run("card", scenario, readers=virtual_readers, slot=0))
        if "kiosk_devices" in app.extensions:
            wait_until(lambda: present() is True)
        return app

    yield put_in
    runtime.stop(app)
    for simulator in started:
        simulator.stop()
    get_db(app).dispose()


def test_the_card_in_the_slot_is_the_second_proof(card_unit: Callable[[str], Any]) -> None:
    app = card_unit("normal")  # André DUPONT's card
    runtime.start(app)
    wait_until(lambda: app.test_client().get("/healthz").json["devices"]["card"]["state"]
               == "ok")
    with time_machine.travel(MONDAY, tick=True):
        booking = Kiosk(app.test_client())
        booking.open("/")
        for word in ("Prendre rendez-vous", "Lire ma carte", "Oui, c'est moi", "Fièvre",
                     "Passer les questions"):
            booking.tap(word)
        booking.tap(next(" ".join(b.get_text().split()) for b in booking.soup.find_all("button")
                         if " ".join(b.get_text().split()).startswith("Le plus tôt")))
        booking.tap("Confirmer")
        code = booking.soup.select_one(".code").get_text(strip=True)
        kiosk = Kiosk(app.test_client())
        type_code(kiosk, code)
        assert "Mettez votre carte Vitale, ou tapez votre date de naissance." in kiosk.text
        kiosk.tap("Avec ma carte Vitale")
        kiosk.tap("Lire ma carte")
        assert kiosk.question == "Votre rendez-vous"
        assert "Pour André DUPONT." in kiosk.text
        card_unit("corsican")  # someone else's card: the one answer
        other = Kiosk(app.test_client())
        type_code(other, code)
        other.tap("Avec ma carte Vitale")
        other.tap("Lire ma carte")
        assert WRONG in other.text and "DUPONT" not in other.text
