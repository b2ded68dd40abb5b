"""The kiosk with its devices: simulators speaking the real bytes, the real device manager.

Issue 3 (health, card events) and issue 4 (the card path, the printed ticket).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from devices_support import CardSlot
from flask import Flask
from proof_support import give_birth_date
from sqlalchemy import select
from support import Kiosk, wait_until

from kiosk import create_app
from kiosk.core import runtime
from kiosk.core.db import get_db
from kiosk.core.records import Appointment
from kiosk.demo.data import seed_demo
from peripherals import sim

MONDAY = "2026-11-30 08:00 +0000"


@pytest.fixture
def printer() -> Iterator[Any]:
    simulator = sim.run("printer", "normal")
    yield simulator
    simulator.stop()


@pytest.fixture
def unit(settings: dict, printer: Any) -> Iterator[Callable[..., Flask]]:
    """Build a kiosk unit with the printer (and optionally a card reader), devices running."""
    apps: list[Flask] = []

    def build(**extra: Any) -> Flask:
        app = create_app({**settings, "printer_url": printer.url, "card_reader": "", **extra})
        with time_machine.travel(MONDAY, tick=False):
            seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
        runtime.start(app)
        apps.append(app)
        return app

    yield build
    for app in apps:
        runtime.stop(app)
        get_db(app).dispose()


def health(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/healthz").json["devices"]


def with_the_reader(unit: Callable[..., Flask]) -> Flask:
    """A unit whose card reader is the slot of the ``card_slot`` fixture, answering."""
    app = unit(card_reader=CardSlot.READER)
    wait_until(lambda: health(app)["card"]["state"] == "ok")
    return app


def book_earliest_from_check(kiosk: Kiosk) -> None:
    kiosk.tap("Fièvre")
    kiosk.tap("Passer les questions")
    kiosk.tap(next(b for b in kiosk.buttons if b.startswith("Le plus tôt")))
    kiosk.tap("Confirmer")


def test_healthz_reports_the_running_devices(unit: Callable[..., Flask]) -> None:
    app = unit()
    states = wait_until(lambda: (h := health(app))["printer"]["state"] == "ok" and h)
    assert states["bp"]["state"] == "not_configured"
    assert states["card"]["state"] == "not_configured"


def test_with_a_card_the_person_books_and_leaves_with_a_printed_ticket(
        unit: Callable[..., Flask], card_slot: CardSlot, printer: Any) -> None:
    app = with_the_reader(unit)
    kiosk = Kiosk(app.test_client(), card_slot)
    with time_machine.travel(MONDAY, tick=True):
        kiosk.open("/")
        kiosk.tap("Prendre rendez-vous")
        assert kiosk.question == "Une consultation avec un médecin"
        assert "Vous n'avez rien à payer." in kiosk.text  # the cost and the card, one screen
        assert "Mettez votre carte Vitale dans la fente" in kiosk.text
        kiosk.insert_card("family")
        assert kiosk.question == "Qui vient voir le médecin ?"
        people = kiosk.buttons
        for name in ("JEANNE MARTIN", "LÉA MARTIN", "HUGO MARTIN"):
            assert any(b.startswith(name) for b in people), name
        # Each one's sex, from the NIR, goes with the button for speech in ("monsieur Martin").
        sexes = {b.get_text(" ", strip=True).split()[0]: b.get("data-voice-sex")
                 for b in kiosk.soup.select("button[name=who]")}
        assert sexes == {"JEANNE": "f", "LÉA": "f", "HUGO": "m"}
        # Touching one's own name and birth date answers "Vous êtes bien … ?" already.
        kiosk.tap(next(b for b in kiosk.buttons if b.startswith("LÉA MARTIN")))
        assert kiosk.question == "Pourquoi voulez-vous voir le médecin ?"
        book_earliest_from_check(kiosk)
    assert kiosk.question == "C'est réservé."
    assert "Prenez votre ticket." in kiosk.text
    assert "Apportez votre carte Vitale ou ce ticket." in kiosk.text
    code = kiosk.soup.select_one(".code").get_text(strip=True)
    printed = printer.device.printed()
    assert code.encode() in printed and b"Mairie" in printed
    with get_db(app).read() as db:
        appointment = db.scalars(select(Appointment)).one()
        nir_token = appointment.patient.nir_token
    assert nir_token and "215046" not in nir_token  # stored encrypted


def test_a_ticket_for_tomorrow_prints_the_date_itself(
        unit: Callable[..., Flask], card_slot: CardSlot, printer: Any) -> None:
    """Issue 13 item 19: paper is read later, when "Demain" would be wrong. The bytes that
    reach the printer carry "Mardi 1 décembre à …", and what to bring for a card holder."""
    app = with_the_reader(unit)
    kiosk = Kiosk(app.test_client(), card_slot)
    with time_machine.travel(MONDAY, tick=True):  # Monday 30 November, 9:00 in Paris
        kiosk.open("/")
        kiosk.tap("Prendre rendez-vous")
        kiosk.insert_card("normal")
        for word in ("Oui, c'est moi", "Toux ou rhume", "Passer les questions",
                     "Choisir un autre jour", "Demain"):
            kiosk.tap(word)
        assert kiosk.question == "À quelle heure ?"
        first_time = next(b for b in kiosk.buttons if " h " in b)
        kiosk.tap(first_time)
        kiosk.tap("Confirmer")
    assert kiosk.question == "C'est réservé."
    assert f"Demain à {first_time}" in kiosk.text  # the screen may say "Demain"
    printed = printer.device.printed()
    paper = f"Mardi 1 décembre à {first_time} avec le docteur"
    assert paper.encode("cp858") in printed, printed
    assert b"Demain" not in printed and b"Aujourd" not in printed
    assert "Apportez votre carte Vitale ou ce ticket.".encode("cp858") in printed


def test_a_card_that_is_not_a_vitale_gets_a_plain_sentence(unit: Callable[..., Flask],
                                                          card_slot: CardSlot) -> None:
    app = with_the_reader(unit)
    kiosk = Kiosk(app.test_client(), card_slot)
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.insert_card("not_vitale")
    assert "Cette carte n'est pas une carte Vitale. Reprenez-la." in kiosk.text
    assert {"Lire ma carte", "Je n'ai pas de carte"} <= set(kiosk.buttons)
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"


def at_the_card_screen(app: Flask, card_slot: CardSlot | None = None) -> Kiosk:
    """A new visit on the first booking screen: the cost, and the card."""
    kiosk = Kiosk(app.test_client(), card_slot)
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    return kiosk


def test_without_a_reader_the_card_screen_says_so_and_typing_still_works(
        unit: Callable[..., Flask]) -> None:
    app = unit(card_reader="")
    kiosk = at_the_card_screen(app)
    assert kiosk.question == "Une consultation avec un médecin"
    assert "Le lecteur de carte ne marche pas." in kiosk.text
    assert "Lire ma carte" not in kiosk.buttons
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"


def links(kiosk: Kiosk) -> dict[str, str]:
    return {" ".join(a.get_text().split()): a["href"] for a in kiosk.soup.select("main a, nav a")}


def test_with_larger_text_the_card_screen_comes_on_pages_both_choices_on_each(
        unit: Callable[..., Flask], card_slot: CardSlot) -> None:
    """ACCESSIBILITY.md item 27: its four sentences and the choices do not fit with text twice
    as large. One group of sentences per page, nothing left out, the choices on every page."""
    app = with_the_reader(unit)
    kiosk = at_the_card_screen(app, card_slot)
    kiosk.tap("Texte plus grand")
    assert kiosk.question == "Une consultation avec un médecin"
    assert "Page 1 sur 2" in kiosk.text and "Vous n'avez rien à payer." in kiosk.text
    assert "Mettez votre carte" not in kiosk.text
    assert {"Lire ma carte", "Je n'ai pas de carte"} <= set(kiosk.buttons)
    assert links(kiosk)["Retour"] == "/"
    kiosk.tap("Suite")
    assert "Page 2 sur 2" in kiosk.text and "Vous n'avez rien à payer." not in kiosk.text
    assert "Mettez votre carte Vitale dans la fente, la puce en premier." in kiosk.text
    assert "Laissez-la pendant le rendez-vous." in kiosk.text
    assert {"Lire ma carte", "Je n'ai pas de carte"} <= set(kiosk.buttons)
    assert links(kiosk)["Retour"] == links(kiosk)["Précédent"] == "/booking/?page=1"
    # A read that fails: its sentence says what to do, with the choices, on one page.
    kiosk.insert_card("not_vitale")
    assert "Cette carte n'est pas une carte Vitale. Reprenez-la." in kiosk.text
    assert "Page 1 sur" not in kiosk.text and "Mettez votre carte" not in kiosk.text
    assert {"Lire ma carte", "Je n'ai pas de carte"} <= set(kiosk.buttons)
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"


def test_with_larger_text_and_no_reader_the_card_screen_says_so_then_the_cost(
        unit: Callable[..., Flask]) -> None:
    app = unit(card_reader="")
    kiosk = at_the_card_screen(app)
    kiosk.tap("Texte plus grand")
    assert "Le lecteur de carte ne marche pas." in kiosk.text and "Page 1 sur 2" in kiosk.text
    assert kiosk.buttons.count("Je n'ai pas de carte") == 1
    kiosk.tap("Suite")
    assert "Le lecteur de carte" not in kiosk.text and "Vous n'avez rien à payer." in kiosk.text
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"


def test_a_card_put_in_on_the_welcome_screen_starts_identification(
        unit: Callable[..., Flask], card_slot: CardSlot) -> None:
    app = with_the_reader(unit)
    client = app.test_client()
    kiosk = Kiosk(client)
    kiosk.open("/")
    since = kiosk.soup.find(attrs={"data-poll": "card-events"})["hx-vals"]
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    form = {"since": since.split('"')[3]}
    assert client.post("/devices/card-poll", data=form, headers=headers).status_code == 204
    card_slot.put_in("normal")
    answer = wait_until(lambda: (r := client.post("/devices/card-poll", data=form,
                                                  headers=headers)).headers.get("HX-Redirect")
                        and r)
    assert answer.headers["HX-Redirect"] == "/booking/"
    kiosk.open("/booking/")
    assert kiosk.question == "Une consultation avec un médecin"  # the cost, before anything
    assert "Vous n'avez rien à payer." in kiosk.text
    assert kiosk.soup.find(attrs={"data-poll": "card"}) is not None  # read with no tap


def test_taking_the_card_out_after_identifying_ends_the_visit(
        unit: Callable[..., Flask], card_slot: CardSlot) -> None:
    app = with_the_reader(unit)
    client = app.test_client()
    kiosk = Kiosk(client, card_slot)
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    vitale = kiosk.insert_card("normal")
    assert kiosk.question == "Vous êtes bien Monsieur André DUPONT ?"
    since = kiosk.soup.find(attrs={"data-poll": "card-events"})["hx-vals"].split('"')[3]
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    vitale.remove()
    answer = wait_until(lambda: (r := client.post("/devices/card-poll", data={"since": since},
                                                  headers=headers)).headers.get("HX-Redirect")
                        and r)
    assert answer.headers["HX-Redirect"] == "/?notice=card_removed"
    assert answer.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    kiosk.open("/booking/is-it-you")
    assert kiosk.question == "Bonjour. Que voulez-vous faire ?"


def test_a_printer_that_is_down_does_not_stop_the_booking(settings: dict,
                                                           tmp_path: Path) -> None:
    offline = sim.run("printer", "offline")
    app = create_app({**settings, "printer_url": offline.url})
    with time_machine.travel(MONDAY, tick=False):
        seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
    runtime.start(app)
    try:
        kiosk = Kiosk(app.test_client())
        with time_machine.travel(MONDAY, tick=True):
            kiosk.type_who_i_am("LIN", "LUC", ("3", "mars", "1950"))
            for word in ("Passer", "Passer", "Oui, c'est moi"):
                kiosk.tap(word)
            book_earliest_from_check(kiosk)
        assert kiosk.question == "C'est réservé."
        assert "L'imprimante ne marche pas." in kiosk.text
        assert kiosk.soup.select_one(".code-huge") is not None  # the code, very large
    finally:
        runtime.stop(app)
        offline.stop()
        get_db(app).dispose()


def book_with_the_card(app: Flask, card_slot: CardSlot) -> str:
    kiosk = Kiosk(app.test_client(), card_slot)
    with time_machine.travel(MONDAY, tick=True):
        kiosk.open("/")
        kiosk.tap("Prendre rendez-vous")
        kiosk.insert_card("normal")
        kiosk.tap("Oui, c'est moi")
        book_earliest_from_check(kiosk)
    assert kiosk.question == "C'est réservé."
    return str(kiosk.soup.select_one(".code").get_text(strip=True))


def test_the_card_finds_the_appointment(unit: Callable[..., Flask],
                                        card_slot: CardSlot) -> None:
    app = with_the_reader(unit)
    code = book_with_the_card(app, card_slot)
    kiosk = Kiosk(app.test_client(), card_slot)
    with time_machine.travel(MONDAY, tick=True):
        kiosk.open("/")
        for word in ("J'ai un rendez-vous", "Avec ma carte Vitale"):
            kiosk.tap(word)
        kiosk.insert_card("normal")  # the same card, left in
    assert kiosk.question == "Votre rendez-vous"
    assert " ".join(code) in kiosk.text and "Pour André DUPONT." in kiosk.text


def test_a_card_with_no_appointment_says_so(unit: Callable[..., Flask],
                                            card_slot: CardSlot) -> None:
    app = with_the_reader(unit)
    kiosk = Kiosk(app.test_client(), card_slot)
    kiosk.open("/")
    for word in ("J'ai un rendez-vous", "Avec ma carte Vitale"):
        kiosk.tap(word)
    kiosk.insert_card("corsican")
    assert "Il n'y a pas de rendez-vous à venir pour cette carte." in kiosk.text


def test_the_ticket_qr_code_under_the_scanner_is_the_ticket_in_hand(
        unit: Callable[..., Flask]) -> None:
    """The QR code holds the ticket's token (SECURITY.md item 24): scanning it shows the ticket
    is in hand, and the birth date still comes before the appointment. An old ticket, whose QR
    code held the 6-character code, still works as a typed code."""
    scanner = sim.run("scanner", "normal")
    try:
        app = unit(scanner_url=scanner.url)
        wait_until(lambda: health(app)["scanner"]["state"] == "ok")
        kiosk = Kiosk(app.test_client())
        with time_machine.travel(MONDAY, tick=True):
            kiosk.type_who_i_am("LIN", "LUC", ("3", "mars", "1950"))
            for word in ("Passer", "Passer", "Oui, c'est moi"):
                kiosk.tap(word)
            book_earliest_from_check(kiosk)
            code = kiosk.soup.select_one(".code").get_text(strip=True)
            with get_db(app).read() as db:
                token = db.scalar(select(Appointment.ticket_token))
            assert kiosk.soup.select_one("img.qr")["src"] == f"/booking/qr/{token}.svg"
            for shown in (token, code):  # today's ticket, then one printed before the change
                visitor = Kiosk(app.test_client())
                visitor.open("/")
                visitor.tap("J'ai un rendez-vous")
                visitor.tap("Avec le QR code du ticket")
                assert visitor.question == "Montrez le QR code de votre ticket"
                headers = {"X-CSRFToken": visitor.csrf_token(), "HX-Request": "true"}
                poll = visitor.client.post("/appointment/scan", headers=headers)
                assert poll.status_code == 204  # nothing scanned yet
                scanner.device.emit(shown)
                answer = wait_until(lambda v=visitor, h=headers: (r := v.client.post(
                    "/appointment/scan", headers=h)).headers.get("HX-Redirect") and r)
                assert answer.headers["HX-Redirect"] == "/appointment/prove"
                visitor.open("/appointment/view")  # not yet: the second proof first
                assert visitor.question == "Comment trouver votre rendez-vous ?"
                assert "LIN" not in visitor.text
                visitor.open("/appointment/prove")
                give_birth_date(visitor, 3, 3, 1950)
                assert visitor.question == "Votre rendez-vous"
                assert " ".join(code) in visitor.text and "Pour Luc LIN." in visitor.text
    finally:
        scanner.stop()
