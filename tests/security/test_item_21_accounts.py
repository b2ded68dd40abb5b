"""SECURITY.md item 21: staff and doctor accounts have argon2 hashes, lock after repeated
failures, sign out after inactivity, and roles are checked in the views."""

from __future__ import annotations

import time_machine
from flask import Flask
from portal_support import Doctor, book_for
from sqlalchemy import select
from staff_support import Portal, add_account, journal
from support import Kiosk

from kiosk.consult import signals
from kiosk.core.db import get_db
from kiosk.core.records import Account, utcnow

WRONG = "Identifiant ou mot de passe incorrect."


def test_item_21_passwords_are_stored_as_argon2id_hashes(seeded: Flask) -> None:
    with get_db(seeded).read() as db:
        hashes = list(db.scalars(select(Account.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any("demo-sophie" in h or "demo-martin" in h for h in hashes)


def test_item_21_five_failures_lock_the_staff_account_for_fifteen_minutes(
    seeded: Flask, clock: time_machine.Traveller
) -> None:
    portal = Portal(seeded.test_client())
    for _ in range(5):
        assert portal.sign_in("sophie", "not it").status_code == 401
    # Locked: even the right password is refused, with the same sentence as any failure.
    assert portal.sign_in("sophie", "demo-sophie").status_code == 401 and WRONG in portal.text
    assert "account.locked" in [e.action for e in journal(seeded)]
    clock.shift(15 * 60 + 1)
    portal.sign_in("sophie", "demo-sophie")
    assert portal.soup.h1.get_text() == "La borne en direct"


def test_item_21_signing_in_gives_a_new_session_id_and_signing_out_ends_it(seeded: Flask) -> None:
    portal = Portal(seeded.test_client())
    visit = Kiosk(portal.client)  # a visit already holds an id in this browser
    visit.open("/")
    visit.tap("Prendre rendez-vous")
    portal.open("/staff/login")
    before = portal.client.get_cookie("kiosk").value
    portal.sign_in()
    after = portal.client.get_cookie("kiosk").value
    assert after != before
    portal.post("/staff/logout")
    assert portal.response.request.path == "/staff/login" and "Vous êtes déconnecté." in portal.text
    portal.client.set_cookie("kiosk", after)  # the old id, replayed
    assert portal.open("/staff/").request.path == "/staff/login"


def test_item_21_a_doctor_account_cannot_use_the_staff_portal(seeded: Flask) -> None:
    portal = Portal(seeded.test_client())
    response = portal.sign_in("dr.martin", "demo-martin")
    assert response.status_code == 401 and "Identifiant ou mot de passe incorrect" in portal.text
    assert portal.open("/staff/").request.path == "/staff/login"


def test_item_21_roles_are_checked_in_the_view_the_journal_is_for_admins(seeded: Flask) -> None:
    add_account(seeded, "ali", "agent")
    agent = Portal(seeded.test_client())
    agent.sign_in("ali", "a-long-password")
    assert agent.open("/staff/").status_code == 200
    assert agent.open("/staff/journal").status_code == 403
    add_account(seeded, "boss", "admin", name="Anne Admin")
    admin = Portal(seeded.test_client())
    admin.sign_in("boss", "a-long-password")
    admin.open("/staff/journal?action=staff.signin")
    assert admin.response.status_code == 200
    actions = [td.get_text() for td in admin.soup.select("tbody tr td:nth-child(3)")]
    assert actions and set(actions) == {"staff.signin"}
    admin.open("/staff/journal?actor=nobody")
    assert "Aucune entrée ne correspond." in admin.text


def test_item_21_the_live_refresh_does_not_keep_an_idle_staff_member_signed_in(
    sophie: Portal, clock: time_machine.Traveller
) -> None:
    redirects = []
    for _ in range(30):  # an hour of refreshes
        clock.shift(120)
        live = sophie.client.get("/staff/live", headers={"HX-Request": "true"})
        redirects.append(live.headers.get("HX-Redirect"))
    assert redirects[:7] == [None] * 7  # up to 15 minutes
    assert redirects[7] == "/staff/login?notice=idle"
    assert set(redirects[8:]) == {"/staff/login"}
    assert sophie.open("/staff/").request.path == "/staff/login"


def test_item_21_an_open_appointment_page_does_not_keep_an_absent_doctor_signed_in(
    seeded: Flask, clock: time_machine.Traveller
) -> None:
    appointment = book_for(seeded, "Martin", "martin-idle")
    dr = Doctor(seeded.test_client())
    dr.sign_in()
    page = f"/doctor/appointment/{appointment.id}"
    assert dr.open(page).request.path == page
    redirects = []
    for _ in range(40):  # twenty minutes of the page polling on its own, nobody at the desk
        clock.shift(30)
        readings = dr.client.get(f"{page}/readings", headers={"HX-Request": "true"})
        dr.client.get(f"{page}/signal?since=0")  # a ring nobody answered
        redirects.append(readings.headers.get("HX-Redirect"))
    assert redirects[:30] == [None] * 30  # up to fifteen minutes
    # Then the whole page goes to the sign-in, rather than the form landing in the list.
    assert redirects[30] == "/doctor/login?notice=idle"
    assert set(redirects[31:]) == {"/doctor/login"}
    assert dr.open(page).request.path == "/doctor/login"


def test_item_21_a_doctor_talking_to_a_patient_is_not_signed_out_mid_call(
    seeded: Flask, clock: time_machine.Traveller
) -> None:
    appointment = book_for(seeded, "Martin", "martin-call")
    dr = Doctor(seeded.test_client())
    dr.sign_in()
    page = f"/doctor/appointment/{appointment.id}"
    dr.open(page)
    database = get_db(seeded)
    signals.send(database, appointment.id, "doctor", "ring", {}, utcnow())
    signals.send(database, appointment.id, "kiosk", "ready", {"visit": "v1"}, utcnow())
    for _ in range(25 * 2):  # a long consultation, no click
        clock.shift(30)
        assert dr.client.get(f"{page}/signal?since=0").status_code == 200
    assert dr.open(page).request.path == page
    signals.send(database, appointment.id, "kiosk", "bye", {}, utcnow())
    for _ in range(16 * 2):  # the call is over; the doctor left the page open
        clock.shift(30)
        dr.client.get(f"{page}/signal?since=0")
    assert dr.open(page).request.path == "/doctor/login"
