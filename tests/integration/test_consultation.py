"""The video consultation through HTTP: check-in, consent, and the signalling both sides use."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from portal_support import Doctor, book_for
from proof_support import find_by_code
from sqlalchemy import func, select
from staff_support import Portal
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.core.records import Account, Appointment, AuditEvent, SignalMessage, utcnow
from kiosk.security.purge import purge_app

ICONS = Path(__file__).parents[2] / "templates" / "icons"


def drawing(name: str) -> list[str]:
    """The paths an icon draws."""
    return [p["d"] for p in BeautifulSoup((ICONS / f"{name}.svg").read_text(),
                                          "html.parser").select("path")]


def at_its_time(app: Flask, appointment: Appointment, clock: time_machine.Traveller) -> None:
    with get_db(app).read() as db:
        starts = db.get(Appointment, appointment.id).slot.starts_at  # type: ignore[union-attr]
    clock.move_to(starts - timedelta(minutes=5))


def found(portal_app: Flask, appointment: Appointment) -> Kiosk:
    """A person found the appointment by its code, and gave Jeanne Durand's birth date as the
    second proof."""
    kiosk = Kiosk(portal_app.test_client())
    find_by_code(kiosk, appointment.code, (15, 3, 1941))
    return kiosk


def checked_in(portal_app: Flask, appointment: Appointment) -> Kiosk:
    """A person found the appointment by its code and agreed to the camera."""
    kiosk = found(portal_app, appointment)
    kiosk.tap("Commencer la consultation")
    assert kiosk.question == "Le médecin va vous voir et vous entendre."
    kiosk.tap("Oui, je suis d'accord")
    assert kiosk.question == "Vérifions la caméra et le son."
    return kiosk


def status_of(app: Flask, appointment: Appointment) -> str:
    with get_db(app).read() as db:
        return db.get(Appointment, appointment.id).status  # type: ignore[union-attr]


def post(client, url: str, token: str, kind: str, payload: object = None):  # noqa: ANN001, ANN201
    return client.post(url, json={"kind": kind, "payload": payload or {}},
                       headers={"X-CSRFToken": token})


def doctor_token(dr: Doctor, appointment: Appointment) -> str:
    dr.open(f"/doctor/appointment/{appointment.id}")
    return dr.token()


def test_consultation_starts_only_near_its_time(portal_app: Flask, martins: Appointment,
                                                clock: time_machine.Traveller) -> None:
    kiosk = found(portal_app, martins)
    assert kiosk.question == "Votre rendez-vous"
    assert "Commencer la consultation" not in kiosk.text  # an hour early: not yet
    at_its_time(portal_app, martins, clock)
    assert "Commencer la consultation" in found(portal_app, martins).text


def test_check_in_waiting_and_the_doctor_sees_the_states(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    assert status_of(portal_app, martins) == "checked-in"
    dr.sign_in()
    assert "Arrivé à la borne" in dr.text
    kiosk.tap("Oui, j'entends")
    assert kiosk.question == "Salle d'attente"
    assert "le docteur Claire Martin" in kiosk.text
    assert status_of(portal_app, martins) == "arrived"
    dr.open("/doctor/")
    assert "En attente" in dr.text
    # The doctor rings: the waiting room's check says to go to the call screen.
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    assert post(dr.client, url, token, "ring").status_code == 200
    answer = kiosk.client.post("/consult/attente", headers={"HX-Request": "true",
                                                            "X-CSRFToken": kiosk.csrf_token()})
    assert answer.headers["HX-Redirect"] == "/consult/appel"
    dr.open("/doctor/")
    assert "En consultation" in dr.text
    kiosk.open("/consult/appel")
    assert "Raccrocher" in kiosk.text
    # The quick replies: "Non" shows the "no" icon, never the tick of "Oui".
    replies = {b["data-reply"]: [p["d"] for p in b.select("svg path")]
               for b in kiosk.soup.select("[data-reply]")}
    assert replies["Non"] == drawing("no")
    assert replies["Oui"] == drawing("yes")


def test_an_assisted_check_in_and_consent_name_the_helper_in_the_journal(
    portal_app: Flask, martins: Appointment, clock: time_machine.Traveller
) -> None:
    from kiosk.security.sessions import hash_token

    at_its_time(portal_app, martins, clock)
    kiosk = found(portal_app, martins)
    ref = hash_token(kiosk.client.get_cookie("kiosk").value)[:12]  # type: ignore[union-attr]
    sophie = Portal(portal_app.test_client())
    sophie.sign_in()
    sophie.open("/staff/")
    sophie.press("Aider", near=ref)
    kiosk.open("/assist/question")
    kiosk.tap("Oui")
    kiosk.tap("Commencer la consultation")
    kiosk.tap("Oui, je suis d'accord")
    kiosk.tap("Oui, j'entends")
    with get_db(portal_app).read() as db:
        sophie_id = db.scalar(select(Account.id).where(Account.username == "sophie"))
        actors = {e.action: e.actor for e in db.scalars(select(AuditEvent).where(
            AuditEvent.subject_ref == f"appointment:{martins.id}"))}
    helper = f"account:{sophie_id} for visit:{ref}"
    assert actors["appointment.checked-in"] == helper
    assert actors["consult.consented"] == helper
    assert actors["appointment.arrived"] == helper


def test_not_hearing_the_test_sound_says_what_to_do_and_lets_one_try_again(
    portal_app: Flask, martins: Appointment, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    answer = kiosk.tap("Non, je n'entends rien")
    assert answer.status_code == 200
    assert kiosk.question == "Vérifions la caméra et le son."
    assert "Touchez « Plus fort » en haut de l'écran" in kiosk.text
    assert "appuyez sur Aide" in kiosk.text
    kiosk.tap("Oui, j'entends")  # tried again, and heard it this time
    assert kiosk.question == "Salle d'attente"


def test_signals_come_in_order_after_the_id_asked_and_the_goodbye_ends_it(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    dr.sign_in()
    token = doctor_token(dr, martins)
    doctor_url = f"/doctor/appointment/{martins.id}/signal"
    ring = post(dr.client, doctor_url, token, "ring").json["id"]
    kiosk_token = kiosk.csrf_token()
    ready = post(kiosk.client, "/consult/signal", kiosk_token, "ready").json["id"]
    offer = post(dr.client, doctor_url, token, "offer", {"description": {"type": "offer"}})
    chat = post(kiosk.client, "/consult/signal", kiosk_token, "chat",
                {"text": "  Bonjour\n docteur "})
    assert ring < ready < offer.json["id"] < chat.json["id"]

    seen = kiosk.client.get(f"/consult/signal?since={ring}").json["messages"]
    assert [(m["sender"], m["kind"]) for m in seen] == [
        ("kiosk", "ready"), ("doctor", "offer"), ("kiosk", "chat")]
    assert seen[2]["payload"] == {"text": "Bonjour docteur"}
    later = dr.client.get(f"{doctor_url}?since={offer.json['id']}").json["messages"]
    assert [m["kind"] for m in later] == ["chat"]

    # Nothing of the chat reaches the journal.
    with get_db(portal_app).read() as db:
        journal = " ".join(f"{e.action} {e.subject_ref}" for e in db.scalars(select(AuditEvent)))
    assert "Bonjour" not in journal

    bye = post(dr.client, doctor_url, token, "bye").json["id"]
    assert status_of(portal_app, martins) == "fulfilled"
    left = kiosk.client.get(f"/consult/signal?since={chat.json['id']}").json["messages"]
    assert [m["kind"] for m in left] == ["bye"]  # the kiosk still learns of the goodbye
    with get_db(portal_app).read() as db:
        assert list(db.scalars(select(SignalMessage.id))) == [bye]  # what was said is gone
    assert post(dr.client, doctor_url, token, "ring").status_code == 409  # over: no new call


def test_only_the_two_parties_of_that_appointment_can_read_or_write(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    other = book_for(portal_app, "Benali", "benali-1")  # another doctor's appointment
    dr.sign_in()
    token = doctor_token(dr, martins)
    post(dr.client, f"/doctor/appointment/{martins.id}/signal", token, "ring")

    # Dr Martin cannot reach Dr Benali's appointment.
    assert dr.client.get(f"/doctor/appointment/{other.id}/signal?since=0").status_code == 404
    assert post(dr.client, f"/doctor/appointment/{other.id}/signal", token,
                "chat", {"text": "x"}).status_code == 404
    # A visit that has not checked in reads nothing; nor does someone not signed in.
    stranger = Kiosk(portal_app.test_client())
    stranger.open("/")
    stranger.tap("J'ai un rendez-vous")
    assert stranger.client.get("/consult/signal?since=0").status_code == 403
    anonymous = portal_app.test_client()
    assert anonymous.get(f"/doctor/appointment/{martins.id}/signal").status_code in (302, 303)
    # The kiosk's messages go to its own appointment only, and it sees only that one.
    post(kiosk.client, "/consult/signal", kiosk.csrf_token(), "chat", {"text": "Bonjour"})
    with get_db(portal_app).read() as db:
        on_other = db.scalar(select(func.count()).select_from(SignalMessage)
                             .where(SignalMessage.appointment_id == other.id))
    assert on_other == 0
    assert {m["kind"] for m in kiosk.client.get("/consult/signal?since=0").json["messages"]} \
        == {"ring", "chat"}


def test_bad_messages_are_refused(portal_app: Flask, martins: Appointment, dr: Doctor,
                                  clock: time_machine.Traveller) -> None:
    at_its_time(portal_app, martins, clock)
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    assert post(dr.client, url, token, "script").status_code == 400
    assert post(dr.client, url, token, "chat", {"text": "   "}).status_code == 400
    assert post(dr.client, url, token, "offer", {"sdp": "x" * 40_000}).status_code == 400
    assert dr.client.get(f"{url}?since=-1").status_code == 400
    assert dr.client.post(url, json={"kind": "chat", "payload": {"text": "x"}}).status_code == 400


def test_each_side_may_send_only_its_own_kinds(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    kiosk_token = kiosk.csrf_token()
    # The kiosk cannot ring (nor offer): only the doctor starts a call.
    assert post(kiosk.client, "/consult/signal", kiosk_token, "ring").status_code == 400
    assert post(kiosk.client, "/consult/signal", kiosk_token, "offer",
                {"description": {"type": "offer"}}).status_code == 400
    assert post(dr.client, url, token, "ready").status_code == 400
    assert post(dr.client, url, token, "answer",
                {"description": {"type": "answer"}}).status_code == 400
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(SignalMessage)) == 0
    assert post(dr.client, url, token, "ring").status_code == 200
    for kind in ("ready", "answer", "candidate"):
        assert post(kiosk.client, "/consult/signal", kiosk_token, kind).status_code == 200
    for kind in ("offer", "candidate"):
        assert post(dr.client, url, token, kind).status_code == 200
    assert post(kiosk.client, "/consult/signal", kiosk_token, "chat",
                {"text": "Bonjour"}).status_code == 200
    assert post(dr.client, url, token, "chat", {"text": "Bonjour"}).status_code == 200


def test_no_chat_once_the_appointment_is_over(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    post(dr.client, url, token, "ring")
    dr.post(f"/doctor/appointment/{martins.id}/status", status="fulfilled")
    assert post(kiosk.client, "/consult/signal", kiosk.csrf_token(), "chat",
                {"text": "Allô ?"}).status_code == 409
    assert post(dr.client, url, token, "chat", {"text": "Au revoir"}).status_code == 409
    with get_db(portal_app).read() as db:
        assert list(db.scalars(select(SignalMessage.kind))) == ["bye"]


def test_the_purge_removes_leftover_signalling(portal_app: Flask, martins: Appointment,
                                               dr: Doctor, clock: time_machine.Traveller) -> None:
    at_its_time(portal_app, martins, clock)
    dr.sign_in()
    token = doctor_token(dr, martins)
    post(dr.client, f"/doctor/appointment/{martins.id}/signal", token, "ring")
    post(dr.client, f"/doctor/appointment/{martins.id}/signal", token, "chat", {"text": "a"})
    purge_app(portal_app, utcnow())
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(SignalMessage)) == 2  # a live call
    clock.shift(timedelta(hours=13))  # the kiosk was switched off mid-call
    purge_app(portal_app, utcnow())
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(SignalMessage)) == 0


def test_marking_done_forgets_the_call_but_says_goodbye(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    dr.sign_in()
    token = doctor_token(dr, martins)
    post(dr.client, f"/doctor/appointment/{martins.id}/signal", token, "ring")
    post(dr.client, f"/doctor/appointment/{martins.id}/signal", token, "chat", {"text": "a"})
    dr.post(f"/doctor/appointment/{martins.id}/status", status="noshow")
    with get_db(portal_app).read() as db:
        left = db.execute(select(SignalMessage.sender, SignalMessage.kind)).all()
    assert [tuple(row) for row in left] == [("doctor", "bye")]
    purge_app(portal_app, utcnow())
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(SignalMessage)) == 0


def test_marking_done_during_the_call_ends_it_at_the_kiosk(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    kiosk.tap("Oui, j'entends")
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    post(dr.client, url, token, "ring")
    kiosk.open("/consult/appel")
    ready = post(kiosk.client, "/consult/signal", kiosk.csrf_token(), "ready").json["id"]
    assert kiosk.client.get(f"/consult/signal?since={ready}").json == {
        "messages": [], "ended": False}
    dr.post(f"/doctor/appointment/{martins.id}/status", status="fulfilled")
    seen = kiosk.client.get(f"/consult/signal?since={ready}").json
    assert [(m["sender"], m["kind"]) for m in seen["messages"]] == [("doctor", "bye")]
    assert seen["ended"] is True
    assert status_of(portal_app, martins) == "fulfilled"


def test_marking_done_just_after_hanging_up_keeps_the_goodbye_for_the_kiosk(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    kiosk.tap("Oui, j'entends")
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    post(dr.client, url, token, "ring")
    kiosk.open("/consult/appel")
    ready = post(kiosk.client, "/consult/signal", kiosk.csrf_token(), "ready").json["id"]
    post(dr.client, url, token, "bye")
    dr.post(f"/doctor/appointment/{martins.id}/status", status="noshow")
    seen = kiosk.client.get(f"/consult/signal?since={ready}").json
    assert [(m["sender"], m["kind"]) for m in seen["messages"]] == [("doctor", "bye")]
    assert seen["ended"] is True


def test_the_video_pages_policy_allows_only_what_a_call_needs(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    dr.sign_in()
    page = dr.open(f"/doctor/appointment/{martins.id}")
    assert "Appeler" in dr.text
    assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
    assert "camera=(self)" in page.headers["Permissions-Policy"]
    kiosk = checked_in(portal_app, martins)
    policy = kiosk.response.headers["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "media-src 'self'" in policy
    assert "https://" not in policy and "unsafe" not in policy
    assert "camera=(self)" in kiosk.response.headers["Permissions-Policy"]
    portal_app.config["KIOSK"]["video_provider"] = "jitsi"
    portal_app.config["KIOSK"]["jitsi_domain"] = "meet.example.org"
    page = kiosk.open("/consult/essai")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' https://meet.example.org" in policy
    assert "frame-src https://meet.example.org" in policy
    assert "meet.example.org" in dr.open(f"/doctor/appointment/{martins.id}").headers[
        "Content-Security-Policy"]
    home = kiosk.open("/")
    assert "meet.example.org" not in home.headers["Content-Security-Policy"]


def in_a_call_then_hung_up(portal_app: Flask, appointment: Appointment, dr: Doctor) -> Kiosk:
    kiosk = checked_in(portal_app, appointment)
    kiosk.tap("Oui, j'entends")
    dr.sign_in()
    token = doctor_token(dr, appointment)
    post(dr.client, f"/doctor/appointment/{appointment.id}/signal", token, "ring")
    kiosk.open("/consult/appel")
    post(dr.client, f"/doctor/appointment/{appointment.id}/signal", token, "bye")
    kiosk.open("/consult/fin")
    return kiosk


def test_the_end_screen_shows_what_the_doctor_wrote_and_says_when_it_did_not_print(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    from kiosk.doctor import summary
    from kiosk.security.vault import get_vault

    at_its_time(portal_app, martins, clock)
    kiosk = in_a_call_then_hung_up(portal_app, martins, dr)
    assert kiosk.question == "La consultation est finie."
    assert "Le médecin écrit peut-être un message pour vous." in kiosk.text
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Reposez-vous deux jours.",
            prescription="Paracétamol 1 g, 3 fois par jour.")
    with portal_app.app_context():
        reference = summary.written(get_db(portal_app), get_vault(portal_app),
                                    martins.id).reference  # type: ignore[union-attr]
    poll = kiosk.client.post("/consult/fin", headers={"HX-Request": "true",
                                                      "X-CSRFToken": kiosk.csrf_token()})
    assert poll.headers["HX-Redirect"] == "/consult/fin"
    kiosk.open("/consult/fin")
    assert "Reposez-vous deux jours." in kiosk.text
    assert "Paracétamol 1 g, 3 fois par jour." in kiosk.text
    assert reference in kiosk.text
    # No printer in this app: said plainly, with a way forward.
    assert "L'imprimante ne marche pas." in kiosk.text


def test_the_doctors_note_is_behind_the_second_proof(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    """SECURITY.md item 23: the end screen shows the note only while the visit holds the
    proof of that appointment. Typing another code (a new ticket in hand, not proven) puts it
    out of reach, as it is for anyone who only has a code."""
    at_its_time(portal_app, martins, clock)
    kiosk = in_a_call_then_hung_up(portal_app, martins, dr)
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Reposez-vous deux jours.",
            prescription="Paracétamol 1 g, 3 fois par jour.")
    kiosk.open("/consult/fin")
    assert "Reposez-vous deux jours." in kiosk.text
    kiosk.open("/appointment/")
    kiosk.tap("Avec le code du rendez-vous")
    for char in martins.code:
        kiosk.tap(char)
    kiosk.tap("Valider")
    assert kiosk.question == "Pour votre sécurité"
    kiosk.open("/consult/fin")
    assert "Reposez-vous deux jours." not in kiosk.text
    assert kiosk.question == "Comment trouver votre rendez-vous ?"
    poll = end_poll(kiosk)
    assert poll.headers["HX-Redirect"] == "/consult/fin"  # sent to the screen, which refuses
    assert kiosk.client.get("/consult/signal?since=0").status_code == 403


def end_poll(kiosk: Kiosk, query: str = ""):  # noqa: ANN201
    """The end screen's background check for the doctor's note."""
    return kiosk.client.post(f"/consult/fin{query}", headers={"HX-Request": "true",
                                                               "X-CSRFToken": kiosk.csrf_token()})


def still_here(kiosk: Kiosk) -> None:
    """The person answers "Êtes-vous toujours là ?" with "Plus de temps"."""
    answer = kiosk.client.post("/visit/extend", headers={"HX-Request": "true",
                                                          "X-CSRFToken": kiosk.csrf_token()})
    assert answer.status_code == 200


def test_the_end_screen_waits_for_a_note_written_long_after_the_call(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = in_a_call_then_hung_up(portal_app, martins, dr)
    assert "Le médecin écrit peut-être un message pour vous." in kiosk.text
    for _minute in range(8):  # the doctor writes 8 minutes later; the person is still there
        clock.shift(timedelta(minutes=1))
        still_here(kiosk)
        assert end_poll(kiosk).status_code == 204
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Reposez-vous deux jours.",
            prescription="")
    assert end_poll(kiosk).headers["HX-Redirect"] == "/consult/fin"
    kiosk.open("/consult/fin")
    assert "Reposez-vous deux jours." in kiosk.text


def test_the_end_screen_says_nothing_was_written_yet_and_still_shows_a_late_note(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = in_a_call_then_hung_up(portal_app, martins, dr)
    for _minute in range(10):
        clock.shift(timedelta(minutes=1))
        still_here(kiosk)
    clock.shift(timedelta(seconds=10))
    late = end_poll(kiosk)  # the words change in place, once
    assert late.status_code == 200
    assert "Le médecin n'a rien écrit." in late.get_data(as_text=True)
    assert end_poll(kiosk, "?late=1").status_code == 204  # ...and the check goes on
    kiosk.open("/consult/fin")
    assert "Le médecin n'a rien écrit." in kiosk.text
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Reposez-vous deux jours.",
            prescription="")
    assert end_poll(kiosk, "?late=1").headers["HX-Redirect"] == "/consult/fin"


def test_the_end_screens_check_does_not_keep_an_idle_visit_alive(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = in_a_call_then_hung_up(portal_app, martins, dr)
    page = kiosk.soup.select_one("[data-poll=consult-note]")
    assert page is not None and page["data-busy-seconds"] == "120"  # a quiet moment first
    settings = portal_app.config["KIOSK"]
    idle = settings["idle_seconds"] + settings["warning_seconds"]
    for _step in range(int((120 + idle) / 30)):  # nobody there: only the check runs
        clock.shift(timedelta(seconds=30))
        assert end_poll(kiosk).status_code == 204
    clock.shift(timedelta(seconds=31))
    kiosk.open("/consult/fin")
    assert kiosk.question != "La consultation est finie."  # the visit was wiped


def test_a_visit_that_ends_during_the_call_hangs_up_for_the_doctor(
    portal_app: Flask, martins: Appointment, dr: Doctor, clock: time_machine.Traveller
) -> None:
    at_its_time(portal_app, martins, clock)
    kiosk = checked_in(portal_app, martins)
    kiosk.tap("Oui, j'entends")
    dr.sign_in()
    token = doctor_token(dr, martins)
    url = f"/doctor/appointment/{martins.id}/signal"
    ring = post(dr.client, url, token, "ring").json["id"]
    kiosk.open("/consult/appel")
    post(kiosk.client, "/consult/signal", kiosk.csrf_token(), "ready")
    kiosk.tap("Terminer")  # the person leaves the kiosk
    seen = dr.client.get(f"{url}?since={ring}").json["messages"]
    assert [(m["sender"], m["kind"]) for m in seen] == [("kiosk", "bye")]
    assert status_of(portal_app, martins) == "fulfilled"
