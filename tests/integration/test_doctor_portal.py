"""The doctor portal: sign-in, lockout, inactivity, the day's list and an appointment page."""

from __future__ import annotations

import json
from datetime import date, timedelta

import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from portal_support import NOW, Doctor, book_for, slot_of
from sqlalchemy import select
from support import Kiosk

from kiosk.booking.service import Clinical, Identity, book
from kiosk.consult import signals
from kiosk.core.db import get_db
from kiosk.core.records import Account, Appointment, AuditEvent, Patient
from kiosk.security.vault import get_vault
from kiosk.vitals.measurements import Result, save

WRONG = "Identifiant ou mot de passe incorrect."


def _pseudonym(app: Flask, appointment: Appointment) -> str:
    with get_db(app).read() as db:
        return str(db.scalar(select(Patient.pseudonym).where(Patient.id == appointment.patient_id)))


def _audit(app: Flask) -> list[AuditEvent]:
    with get_db(app).read() as db:
        return list(db.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_a_doctor_signs_in_and_sees_the_day(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    response = dr.sign_in()
    assert response.status_code == 200
    assert response.request.path == "/doctor/"
    assert "Docteur Claire Martin" in dr.text
    assert "Jeanne DURAND" in dr.text
    assert "Réservé" in dr.text
    assert "lundi 30 novembre 2026" in dr.text
    with get_db(portal_app).read() as db:
        account = db.scalar(select(Account).where(Account.username == "dr.martin"))
    signin = [e for e in _audit(portal_app) if e.action == "doctor.signin"]
    assert [e.actor for e in signin] == [f"account:{account.id}"]


def test_the_day_list_says_each_state_in_words(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    with get_db(portal_app).write() as db:
        db.get(Appointment, martins.id).status = "checked-in"
    dr.sign_in()
    assert "Arrivé à la borne" in dr.text
    dr.open("/doctor/?day=2026-12-01")
    assert "Jeanne DURAND" not in dr.text
    assert "Aucun rendez-vous" in dr.text
    assert dr.client.get("/doctor/?day=not-a-day").status_code == 400


def test_a_wrong_password_gets_a_plain_message(dr: Doctor) -> None:
    response = dr.sign_in(password="wrong")
    assert response.status_code == 401
    assert WRONG in dr.text
    known = dr.text
    unknown = dr.sign_in(username="nobody", password="wrong")
    assert unknown.status_code == 401
    assert dr.text == known  # the page does not tell whether the name exists
    assert dr.open("/doctor/").request.path == "/doctor/login"


def test_five_failures_lock_the_account_for_fifteen_minutes(
    dr: Doctor, clock: time_machine.Traveller
) -> None:
    for _attempt in range(5):
        assert dr.sign_in(password="wrong").status_code == 401
    locked = dr.sign_in()  # the right password, but locked
    assert locked.status_code == 401
    assert WRONG in dr.text
    clock.shift(timedelta(minutes=14))
    assert dr.sign_in().status_code == 401
    clock.shift(timedelta(minutes=1, seconds=1))
    opened = dr.sign_in()
    assert opened.status_code == 200
    assert opened.request.path == "/doctor/"


def test_a_pharmacist_is_refused_the_portal(dr: Doctor) -> None:
    response = dr.sign_in("sophie", "demo-sophie")
    assert response.status_code == 403
    assert "réservée aux médecins" in dr.text


def test_signing_in_gives_a_new_session_id(dr: Doctor, portal_app: Flask) -> None:
    visit = Kiosk(dr.client)  # a visit already holds an id in this browser (a bare sign-in
    visit.open("/")          # page sets no cookie: SECURITY.md item 28)
    visit.tap("Prendre rendez-vous")
    dr.open("/doctor/login")
    before = dr.cookie()
    assert before is not None
    dr.sign_in()
    after = dr.cookie()
    assert after is not None and after != before
    # The old id no longer opens anything.
    thief = portal_app.test_client()
    thief.set_cookie("kiosk", before)
    assert thief.get("/doctor/").headers["Location"].endswith("/doctor/login")


def test_an_idle_doctor_is_signed_out(dr: Doctor, clock: time_machine.Traveller) -> None:
    dr.sign_in()
    clock.shift(timedelta(minutes=10))  # longer than the kiosk's own idle wipe
    assert dr.open("/doctor/").request.path == "/doctor/"
    clock.shift(timedelta(minutes=15, seconds=1))
    response = dr.open("/doctor/")
    assert response.request.path == "/doctor/login"
    assert "inactivité" in dr.text
    assert dr.open("/doctor/").request.path == "/doctor/login"


def test_signing_out(dr: Doctor) -> None:
    dr.sign_in()
    out = dr.client.post("/doctor/logout", data={"csrf_token": dr.token()})
    assert out.status_code == 303
    assert out.headers["Location"].endswith("/doctor/login?notice=out")
    assert out.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert out.headers["Cache-Control"] == "no-store"
    assert dr.cookie() is None
    assert dr.open("/doctor/").request.path == "/doctor/login"


def test_another_doctors_appointment_is_not_found(dr: Doctor, portal_app: Flask) -> None:
    theirs = book_for(portal_app, "Benali", "benali-1")
    dr.sign_in()
    assert "Jeanne DURAND" not in dr.text
    assert dr.open(f"/doctor/appointment/{theirs.id}").status_code == 404
    assert dr.open("/doctor/appointment/99999").status_code == 404
    assert dr.post(f"/doctor/appointment/{theirs.id}/status", status="fulfilled").status_code == 404


def test_the_appointment_page_shows_identity_reason_and_bp(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    with portal_app.app_context():
        save(get_db(portal_app), get_vault(portal_app), session_ref="visit-1",
             result=Result(126, 82, 72, ((125, 81, 71), (127, 83, 73))),
             appointment_id=martins.id, taken_at=NOW)
    dr.sign_in()
    page = dr.open(f"/doctor/appointment/{martins.id}")
    assert page.status_code == 200
    for shown in ("Jeanne DURAND", "15 mars 1941", "Fièvre", "Avez-vous de la fièvre ? Oui",
                  "Avez-vous des allergies ? Non", "09:00 · 126/82 mmHg, pouls 72"):
        assert shown in dr.text
    viewed = [e for e in _audit(portal_app) if e.action == "doctor.viewed_appointment"]
    assert [e.subject_ref for e in viewed] == [_pseudonym(portal_app, martins)]


def test_marking_done_changes_the_status_and_audits_without_names(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    dr.sign_in()
    dr.open(f"/doctor/appointment/{martins.id}")
    done = dr.post(f"/doctor/appointment/{martins.id}/status", status="fulfilled")
    assert done.status_code == 200
    assert "Terminé" in dr.text
    with get_db(portal_app).read() as db:
        assert db.get(Appointment, martins.id).status == "fulfilled"
    events = _audit(portal_app)
    marked = [e for e in events if e.action == "appointment.fulfilled"]
    assert len(marked) == 1 and marked[0].subject_ref == _pseudonym(portal_app, martins)
    for event in events:
        row = f"{event.actor} {event.action} {event.subject_ref}".lower()
        for secret in ("jeanne", "durand", "fever", "fièvre", "1941", "martin"):
            assert secret not in row
    assert dr.post(f"/doctor/appointment/{martins.id}/status",
                   status="cancelled").status_code == 400


def test_posts_without_a_csrf_token_are_refused(dr: Doctor, martins: Appointment) -> None:
    refused = dr.client.post(
        "/doctor/login", data={"username": "dr.martin", "password": "demo-martin"}
    )
    assert refused.status_code == 400
    dr.sign_in()
    assert dr.client.post(f"/doctor/appointment/{martins.id}/status",
                          data={"status": "fulfilled"}).status_code == 400
    assert dr.client.post("/doctor/logout").status_code == 400


def test_the_doctor_portal_sends_the_csrf_header_like_the_staff_portal(
    dr: Doctor, martins: Appointment,
) -> None:
    """One portal base: every htmx request of a doctor's page carries X-CSRFToken (as staff's
    do), and a POST that has neither the header nor the form field is refused."""
    dr.sign_in()
    page = dr.open(f"/doctor/appointment/{martins.id}").get_data(as_text=True)
    body = BeautifulSoup(page, "html.parser").find("body")
    assert body is not None
    header = json.loads(str(body["hx-headers"]))
    path = f"/doctor/appointment/{martins.id}/status"
    assert dr.client.post(path, data={"status": "fulfilled"}).status_code == 400
    sent = dr.client.post(path, data={"status": "fulfilled"}, headers=header)
    assert sent.status_code == 303
    assert "Terminé" in dr.open(f"/doctor/appointment/{martins.id}").get_data(as_text=True)


def test_a_doctor_working_all_morning_stays_signed_in(dr: Doctor,
                                                      clock: time_machine.Traveller) -> None:
    """The kiosk's one-hour limit is for a visit at the kiosk, not for a doctor's shift."""
    dr.sign_in()
    for _ in range(20):  # four hours, never idle for 15 minutes
        clock.shift(timedelta(minutes=12))
        assert dr.open("/doctor/").request.path == "/doctor/"


def _state_and_buttons(html: str) -> tuple[str, list[str]]:
    """What the doctor reads as the state, and the "Marquer …" buttons offered."""
    soup = BeautifulSoup(html, "html.parser")
    state = soup.find(id="appointment-state")
    actions = soup.find(id="appointment-actions")
    assert state is not None and actions is not None
    return (" ".join(state.get_text().split()),
            [" ".join(b.get_text().split()) for b in actions.find_all("button")])


def test_the_page_follows_the_call_live_and_a_done_appointment_is_not_marked_twice(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    """Issue 13 item 16: "En consultation" while the call is on (the open page learns it by
    its poll), "Terminé" after it, and "Marquer terminé" is no longer offered then."""
    with get_db(portal_app).write() as db:
        db.get(Appointment, martins.id).status = "arrived"
    dr.sign_in()
    page = dr.open(f"/doctor/appointment/{martins.id}")
    assert _state_and_buttons(page.get_data(as_text=True)) == (
        "En attente", ["Marquer terminé", "Marquer absent"])
    poll = f"/doctor/appointment/{martins.id}/readings"

    signals.send(get_db(portal_app), martins.id, "doctor", "ring", {}, NOW)
    live = dr.client.get(poll, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="appointment-state" hx-swap-oob="true"' in live  # swapped into the open page
    assert _state_and_buttons(live) == ("En consultation", ["Marquer terminé"])
    assert _state_and_buttons(dr.open(f"/doctor/appointment/{martins.id}")
                              .get_data(as_text=True))[0] == "En consultation"

    signals.send(get_db(portal_app), martins.id, "kiosk", "bye", {}, NOW)  # the call ends
    live = dr.client.get(poll, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert _state_and_buttons(live) == ("Terminé", ["Marquer absent"])
    page = dr.open(f"/doctor/appointment/{martins.id}")
    assert _state_and_buttons(page.get_data(as_text=True)) == ("Terminé", ["Marquer absent"])

    marked_before = [e for e in _audit(portal_app) if e.action == "appointment.fulfilled"]
    again = dr.post(f"/doctor/appointment/{martins.id}/status", status="fulfilled")
    assert again.status_code == 200
    assert "Rien n'a changé : ce rendez-vous est déjà « Terminé »." in dr.text
    assert [e for e in _audit(portal_app) if e.action == "appointment.fulfilled"] == marked_before
    with get_db(portal_app).read() as db:
        assert db.get(Appointment, martins.id).status == "fulfilled"


def test_answers_show_the_question_that_was_asked_for_the_reason(
    dr: Doctor, portal_app: Flask
) -> None:
    """Answers are stored under their question's key: a pain booking shows pain questions."""
    with portal_app.app_context():
        booked = book(
            get_db(portal_app), get_vault(portal_app), slot_id=slot_of(portal_app, "Martin"),
            identity=Identity("DURAND", "Jeanne", date(1941, 3, 15)),
            clinical=Clinical("pain", {"chest": True, "fall": False}),
            idempotency_key="pain-1", actor="test", now=NOW)
    dr.sign_in()
    dr.open(f"/doctor/appointment/{booked.id}")
    for shown in ("Douleur", "Avez-vous mal à la poitrine ? Oui",
                  "Avez-vous mal après une chute ou un coup ? Non"):
        assert shown in dr.text
    assert "fièvre" not in dr.text
