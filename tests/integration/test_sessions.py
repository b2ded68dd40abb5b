"""The visit lifecycle: the next person sees nothing.

ACCESSIBILITY.md items 11 and 12; the SECURITY.md items themselves (1, 2, 7) are in
tests/security/test_items_01_to_22_sessions_and_headers.py.
"""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import Kiosk
from visit_support import begin_booking_in_english, cookie, stored_sessions

from kiosk.core.db import get_db
from kiosk.core.records import HelpRequest, KioskSession
from kiosk.security.sessions import hash_token


def test_terminer_tells_the_person_everything_is_deleted(kiosk: Kiosk) -> None:
    begin_booking_in_english(kiosk)
    kiosk.tap("Finish")
    assert kiosk.question == "Bonjour. Que voulez-vous faire ?"
    assert "Au revoir. Tout ce que vous avez fait ici est effacé." in kiosk.text


def test_a_welcome_screen_left_alone_does_not_expire(
    app: Flask, client: FlaskClient, kiosk: Kiosk
) -> None:
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        kiosk.open("/")
        clock.shift(timedelta(minutes=20))
        kiosk.tap("Prendre rendez-vous")  # the token of the old page is still good
    assert kiosk.question == "Une consultation avec un médecin"


def test_plus_de_temps_restarts_the_clock_at_least_ten_times(
    app: Flask, client: FlaskClient, kiosk: Kiosk
) -> None:
    settings = app.config["KIOSK"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking_in_english(kiosk)
        token = kiosk.csrf_token()
        for done in range(1, settings["max_extensions"] + 1):
            clock.shift(timedelta(seconds=settings["idle_seconds"] + 5))  # the warning is up
            answer = client.post("/visit/extend", headers={"X-CSRFToken": token})
            assert answer.status_code == 200, f"extension {done} refused"
            assert answer.json["remaining"] == settings["max_extensions"] - done
        assert settings["max_extensions"] >= 10
        refused = client.post("/visit/extend", headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert refused.json["message"] == "You cannot ask for more time now."


def test_aide_calls_staff_with_a_pseudonym_not_the_cookie(
    app: Flask, client: FlaskClient, kiosk: Kiosk
) -> None:
    kiosk.open("/")
    kiosk.tap("Aide")
    assert kiosk.question == "Quelqu'un arrive."
    with get_db(app).read() as db:
        requests = db.scalars(select(HelpRequest)).all()
    assert len(requests) == 1
    token = cookie(client)
    assert token and token not in requests[0].session_ref
    assert requests[0].session_ref == hash_token(token)[:12]
    kiosk.tap("Continuer sans aide")
    assert kiosk.question == "Bonjour. Que voulez-vous faire ?"


def test_help_from_a_journey_returns_to_that_screen(kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    kiosk.tap("Aide")
    assert kiosk.question == "Quelqu'un arrive."
    kiosk.tap("Continuer sans aide")
    assert kiosk.question == "Mesurer votre tension"


def test_text_size_and_volume_are_kept_for_the_visit_and_reset_for_the_next(kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Texte plus grand")
    assert kiosk.soup.html["class"] == ["text-2"]
    kiosk.tap("Plus fort")
    kiosk.tap("Plus fort")  # already at the top: stays there
    assert kiosk.soup.body["data-volume"] == "5"
    kiosk.tap("Terminer")
    assert kiosk.soup.html["class"] == ["text-1"]
    assert kiosk.soup.body["data-volume"] == "4"


def test_a_request_in_flight_cannot_bring_back_a_wiped_visit(app: Flask, client: FlaskClient,
                                                            kiosk: Kiosk) -> None:
    """The card is pulled out (the visit is wiped) while another request of the same visit is
    still being answered: that request must not write the visit back."""
    from flask import request

    begin_booking_in_english(kiosk)
    token = cookie(client)
    assert token
    with app.test_request_context("/", headers={"Cookie": f"kiosk={token}"}):
        interface = app.session_interface
        visit = interface.open_session(app, request)
        assert visit.get("lang") == "en"
        with get_db(app).write() as db:  # meanwhile, another request ends the visit
            db.delete(db.get(KioskSession, hash_token(token)))
        visit["booking"] = {"typed": {"surname": "DURAND"}}  # this request still changes it
        response = app.response_class()
        interface.save_session(app, visit, response)
    assert stored_sessions(app) == 0
    assert "kiosk=;" in response.headers["Set-Cookie"]
