"""SECURITY.md item 24: guessing is limited.

Wrong codes and wrong proofs count per visit (the third calls staff and closes code entry for
the visit) and per unit (the twentieth in an hour pauses code entry for everyone until staff
resume it or 15 minutes pass). A real, an unknown and a cancelled code get the same answers.
No URL answers differently for a real and an unknown code; the .ics and the ticket's QR code
carry a random token. Every refused try is journaled, never with the code. Through HTTP, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from proof_support import (
    JEANNE_BORN,
    WRONG,
    give_birth_date,
    one_wrong_try,
    type_code,
    unknown_code,
    wrong_tries,
)
from sqlalchemy import func, select
from staff_support import Portal
from support import Kiosk

from kiosk.booking.service import Clinical, Identity, book, cancel
from kiosk.core.db import get_db
from kiosk.core.records import (
    Appointment,
    AuditEvent,
    CodeGuess,
    CodePause,
    HelpRequest,
    Slot,
    utcnow,
)
from kiosk.security.vault import get_vault
from kiosk.speech import rendering as speech

TOO_MANY = "Trop d'essais. J'appelle le pharmacien."
PAUSED = "Les codes sont en pause."




def book_jeanne(app: Flask, key: str) -> Appointment:
    """Jeanne DURAND (born 15 March 1941) booked earlier, on the next free slot."""
    with get_db(app).read() as db:
        taken = set(db.scalars(select(Appointment.slot_id)))
        slot_id = next(s for s in db.scalars(select(Slot.id).where(Slot.starts_at > utcnow())
                                             .order_by(Slot.starts_at)) if s not in taken)
    with app.app_context():
        return book(get_db(app), get_vault(app), slot_id=slot_id,
                    identity=Identity("DURAND", "Jeanne", date(1941, 3, 15)),
                    clinical=Clinical("fever", {"fever": True}), idempotency_key=key,
                    actor="test", now=utcnow())


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked: they differ for every visit by design."""
    html = re.sub(r'(name="csrf_token" value=")[^"]*"', r'\1"', html)
    return re.sub(r'("X-CSRFToken": ")[^"]*"', r'\1"', html)


def refused(app: Flask) -> list[AuditEvent]:
    with get_db(app).read() as db:
        return list(db.scalars(select(AuditEvent).where(
            AuditEvent.action == "appointment.proof_refused")))


def guesses(app: Flask) -> int:
    with get_db(app).read() as db:
        return int(db.scalar(select(func.count()).select_from(CodeGuess)) or 0)


def test_real_unknown_and_cancelled_codes_get_the_same_answers(unit: Flask) -> None:
    real = book_jeanne(unit, "real").code
    cancelled = book_jeanne(unit, "gone").code
    cancel(get_db(unit), cancelled, "test", utcnow())
    unknown = unknown_code(unit)
    # Each in a fresh visit: the page after the code, then the answer after a birth date (the
    # right one for the cancelled code, a wrong one for the real code).
    pages: dict[str, list[str]] = {}
    for name, code, born in (("real", real, (1, 1, 1950)), ("unknown", unknown, JEANNE_BORN),
                             ("cancelled", cancelled, JEANNE_BORN)):
        kiosk = Kiosk(unit.test_client())
        type_code(kiosk, code)
        after_code = kiosk.response
        give_birth_date(kiosk, *born)
        after_proof = kiosk.response
        assert after_code is not None and after_proof is not None
        pages[name] = [f"{r.status_code} {r.request.path} " + without_tokens(r.get_data(True))
                       for r in (after_code, after_proof)]
        assert WRONG in kiosk.text
    assert pages["real"] == pages["unknown"] == pages["cancelled"]


def test_twenty_five_wrong_codes_in_one_visit_are_stopped_after_three(unit: Flask) -> None:
    book_jeanne(unit, "real")
    kiosk = Kiosk(unit.test_client())
    typed = [unknown_code(unit, i) for i in range(25)]
    for code in typed[:3]:
        one_wrong_try(kiosk, code)
    assert kiosk.question == TOO_MANY
    assert "Quelqu'un arrive pour vous aider." in kiosk.text
    assert kiosk.response is not None  # and said aloud, as every screen is
    assert TOO_MANY in speech.screen_utterance(kiosk.response.get_data(as_text=True), "fr",
                                           asked=False).text
    with get_db(unit).read() as db:  # staff are called as the Aide button calls them
        calls = list(db.scalars(select(HelpRequest)))
    assert [(c.kind, c.screen) for c in calls] == [("help", "/appointment/too-many")]
    token = kiosk.csrf_token()
    for code in typed[3:]:  # code entry is closed for this visit, whatever is posted
        for char in code:
            kiosk.client.post("/appointment/code", data={"csrf_token": token, "key": char})
        answer = kiosk.client.post("/appointment/code", data={"csrf_token": token,
                                                              "action": "ok"},
                                   follow_redirects=True)
        page = BeautifulSoup(answer.get_data(as_text=True), "html.parser")
        assert page.h1 is not None and page.h1.get_text(strip=True) == TOO_MANY
    assert kiosk.open("/appointment/code") and kiosk.question == TOO_MANY
    assert kiosk.open("/appointment/scan") and kiosk.question == TOO_MANY
    assert kiosk.open("/appointment/prove") and kiosk.question == TOO_MANY
    assert guesses(unit) == 3
    # Journaled: each refused try and the stop, never the code typed.
    entries = refused(unit)
    assert len(entries) == 3
    with get_db(unit).read() as db:
        journal = [" ".join((e.actor, e.action, e.subject_ref))
                   for e in db.scalars(select(AuditEvent))]
    assert any("appointment.too_many_tries" in line for line in journal)
    assert not [line for line in journal for code in typed if code in line]


def twenty_wrong_tries(app: Flask) -> Kiosk:
    """Seven visits, three wrong tries each but the last (two): 20 in all. Returns the last."""
    return wrong_tries(app, 20)


def test_twenty_wrong_tries_at_the_unit_pause_code_entry_until_staff_resume_it(
        unit: Flask) -> None:
    real = book_jeanne(unit, "real").code
    last = twenty_wrong_tries(unit)
    assert last.question == PAUSED
    assert guesses(unit) == 20
    # A new visit, even with a real code, cannot type one: it is offered help instead.
    newcomer = Kiosk(unit.test_client())
    newcomer.open("/")
    newcomer.tap("J'ai un rendez-vous")
    newcomer.tap("Avec le code du rendez-vous")
    assert newcomer.question == PAUSED
    assert "Appelez le pharmacien." in newcomer.text
    assert newcomer.open("/appointment/scan") and newcomer.question == PAUSED
    newcomer.open("/appointment/paused")
    newcomer.tap("Appeler le pharmacien")
    assert newcomer.question == "Quelqu'un arrive."
    # The staff page says so, and resumes code entry with one button.
    sophie = Portal(unit.test_client())
    sophie.sign_in()
    sophie.open("/staff/")
    assert "Codes de rendez-vous en pause" in sophie.text
    assert "Personne ne peut taper de code jusqu'à 09:15." in sophie.text  # 9:00 + 15 min
    # Resuming is a staff action with the page's CSRF token: without either, nothing changes.
    assert unit.test_client().post("/staff/codes/resume").status_code == 400
    assert sophie.client.post("/staff/codes/resume").status_code == 400
    assert newcomer.open("/appointment/code") and newcomer.question == PAUSED
    sophie.press("Reprendre les codes")
    assert "Codes de rendez-vous en pause" not in sophie.text
    with get_db(unit).read() as db:
        resumed = db.scalars(select(AuditEvent).where(
            AuditEvent.action == "appointment.codes_resumed")).one()
    assert resumed.actor.startswith("account:")
    again = Kiosk(unit.test_client())
    type_code(again, real)
    assert again.question == "Pour votre sécurité"
    give_birth_date(again, *JEANNE_BORN)
    assert "Pour Jeanne DURAND." in again.text


def test_the_pause_ends_by_itself_after_fifteen_minutes(
        unit: Flask, clock: time_machine.Traveller) -> None:
    twenty_wrong_tries(unit)
    clock.shift(timedelta(minutes=14))
    waiting = Kiosk(unit.test_client())
    waiting.open("/")
    waiting.tap("J'ai un rendez-vous")
    waiting.tap("Avec le code du rendez-vous")
    assert waiting.question == PAUSED
    clock.shift(timedelta(minutes=1))
    later = Kiosk(unit.test_client())
    later.open("/")
    later.tap("J'ai un rendez-vous")
    later.tap("Avec le code du rendez-vous")
    assert later.question == "Quel est le code de votre rendez-vous ?"
    # The tries before the pause are not counted again: one more wrong try does not pause.
    one_wrong_try(later, unknown_code(unit, 30))
    assert later.question == "Quel est le code de votre rendez-vous ?" and WRONG in later.text


def test_the_ics_answers_to_the_token_only_and_a_code_looks_unknown(unit: Flask) -> None:
    appointment = book_jeanne(unit, "real")
    cancelled = book_jeanne(unit, "gone")
    cancel(get_db(unit), cancelled.code, "test", utcnow())
    assert len(appointment.ticket_token) >= 22  # 128 random bits or more, URL-safe
    anonymous = unit.test_client()
    by_token = anonymous.get(f"/booking/{appointment.ticket_token}.ics")
    assert by_token.status_code == 200 and by_token.mimetype == "text/calendar"
    assert appointment.code not in by_token.get_data(as_text=True)
    assert "DURAND" not in by_token.get_data(as_text=True).upper()

    def answer(path: str) -> tuple[int, str, str]:
        """Status, type and page, the address asked blanked (the error page's Aide button
        comes back to it, whatever it is)."""
        response = unit.test_client().get(path)
        return (response.status_code, response.mimetype,
                without_tokens(response.get_data(as_text=True)).replace(path, "PATH"))

    real_code = answer(f"/booking/{appointment.code}.ics")
    assert real_code[0] == 404
    assert real_code == answer(f"/booking/{unknown_code(unit)}.ics")
    assert answer(f"/booking/{cancelled.ticket_token}.ics") \
        == answer(f"/booking/{'x' * 22}.ics") == real_code


def test_ics_downloads_are_limited(unit: Flask) -> None:
    client = unit.test_client()
    answers = [client.get(f"/booking/{'y' * 21}{i % 10}.ics").status_code for i in range(21)]
    assert answers[:20] == [404] * 20 and answers[20] == 429


def test_wrong_tries_landing_together_pause_code_entry_exactly_at_the_twentieth(
        unit: Flask) -> None:
    """Ten wrong tries, then fourteen visits press Valider on a wrong birth date at the same
    moment: the unit's count takes them one at a time, so tries 11 to 19 get the one answer
    and the 20th to the 24th the pause -- one pause, journaled once, never a missed 20th nor
    two pauses (SECURITY.md item 24)."""
    wrong_tries(unit, 10)
    racers = [Kiosk(unit.test_client()) for _ in range(14)]
    for index, racer in enumerate(racers):
        type_code(racer, unknown_code(unit, 10 + index))
        racer.tap("Taper ma date de naissance")
        for key in ("1", "janvier", "1", "9", "5", "0"):
            racer.tap(key)
    start = threading.Barrier(len(racers))
    failures: list[BaseException] = []

    def press_valider(racer: Kiosk) -> None:
        try:
            start.wait(timeout=30)
            racer.tap("Valider")
        except BaseException as exc:  # reported below, with the answers
            failures.append(exc)

    threads = [threading.Thread(target=press_valider, args=(r,)) for r in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    answers = sorted(r.question for r in racers)
    assert answers.count(PAUSED) == 5, answers
    assert all(WRONG in r.text for r in racers if r.question != PAUSED)
    assert guesses(unit) == 24
    with get_db(unit).read() as db:
        assert db.scalar(select(func.count()).select_from(CodePause)) == 1
        assert db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "appointment.codes_paused")) == 1
