"""Blood pressure and the consultation, against the SunTech simulator: measured before the call
(the vitals journey, then back), and during it (the call's side panel). Both reach the doctor."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from devices_support import cuff_unit
from flask import Flask
from proof_support import give_birth_date
from sqlalchemy import select
from support import Kiosk, wait_until

from kiosk import create_app
from kiosk.booking import service
from kiosk.core.db import get_db
from kiosk.core.records import AuditEvent, HelpRequest, Measurement, Practitioner, Slot, utcnow
from kiosk.demo.data import seed_demo
from kiosk.security.vault import get_vault


@pytest.fixture
def unit(settings: dict) -> Iterator[Flask]:
    yield from started(settings)


@pytest.fixture
def alarming_unit(settings: dict) -> Iterator[Flask]:
    """The cuff reads 185/112: grade 3, the staff must be called."""
    yield from started(settings, reading=(185, 112, 90, 136))


@pytest.fixture
def impossible_unit(settings: dict) -> Iterator[Flask]:
    """The cuff sends a valid frame reading 300/90: no person has that."""
    yield from started(settings, reading=(300, 90, 70, 160))


def started(settings: dict, **options: Any) -> Iterator[Flask]:
    with cuff_unit(settings, **options) as (app, _cuff):
        seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
        yield app


def book_soon(app: Flask) -> tuple[int, str]:
    starts = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    with get_db(app).write() as db:
        martin = db.scalar(select(Practitioner).where(Practitioner.surname == "Martin"))
        slot = Slot(practitioner_id=martin.id, starts_at=starts,  # type: ignore[union-attr]
                    ends_at=starts + timedelta(minutes=15))
        db.add(slot)
        db.flush()
        slot_id = slot.id
    appointment = service.book(get_db(app), get_vault(app), slot_id=slot_id,
                               identity=service.Identity("DURAND", "Luc", date(1950, 3, 3)),
                               clinical=service.Clinical("other"), idempotency_key="soon",
                               actor="test", now=utcnow())
    return appointment.id, appointment.code


def start_consultation(app: Flask, code: str) -> Kiosk:
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    kiosk.tap("J'ai un rendez-vous")
    kiosk.tap("Avec le code du rendez-vous")
    for char in code:
        kiosk.tap(char)
    kiosk.tap("Valider")
    give_birth_date(kiosk, 3, 3, 1950)  # the second proof: Luc DURAND's birth date
    kiosk.tap("Commencer la consultation")
    return kiosk


def readings_of(app: Flask, appointment_id: int) -> list[Measurement]:
    with get_db(app).read() as db:
        return list(db.scalars(select(Measurement)
                               .where(Measurement.appointment_id == appointment_id)))


def test_measured_before_the_call_then_back_to_it(unit: Flask) -> None:
    appointment_id, code = book_soon(unit)
    kiosk = start_consultation(unit, code)
    assert kiosk.question == "Voulez-vous mesurer votre tension pour le médecin ?"
    kiosk.tap("Oui, mesurer ma tension")
    assert kiosk.question == "Mesurer votre tension"
    kiosk.tap("Commencer")
    for _step in range(3):
        kiosk.tap("C'est fait")
    for _reading in range(2):
        kiosk.open(kiosk.measure_bp())
    assert kiosk.question == "Votre tension"
    assert len(readings_of(unit, appointment_id)) == 1  # attached for the doctor
    kiosk.tap("Continuer vers la consultation")
    assert kiosk.question == "Le médecin va vous voir et vous entendre."


def test_measured_during_the_call_from_the_side_panel(unit: Flask) -> None:
    appointment_id, code = book_soon(unit)
    kiosk = start_consultation(unit, code)
    kiosk.tap("Non, continuer")
    kiosk.tap("Oui, je suis d'accord")
    kiosk.tap("Oui, j'entends")
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    started = kiosk.client.post("/consult/tension/mesure", headers=headers)
    assert "mmHg" in started.get_data(as_text=True)
    result = wait_until(lambda: "data-bp-result" in (
        page := kiosk.client.post("/consult/tension/live", headers=headers)
        .get_data(as_text=True)) and page)
    assert "115 / 74" in result
    assert "Le médecin voit votre mesure." in result
    [reading] = readings_of(unit, appointment_id)
    assert "115" not in reading.values_token  # encrypted at rest


def test_a_very_high_reading_during_the_call_alerts_the_staff_and_is_journaled(
    alarming_unit: Flask,
) -> None:
    appointment_id, code = book_soon(alarming_unit)
    kiosk = start_consultation(alarming_unit, code)
    kiosk.tap("Non, continuer")
    kiosk.tap("Oui, je suis d'accord")
    kiosk.tap("Oui, j'entends")
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    kiosk.client.post("/consult/tension/mesure", headers=headers)
    result = wait_until(lambda: "data-bp-result" in (
        page := kiosk.client.post("/consult/tension/live", headers=headers)
        .get_data(as_text=True)) and page)
    assert "185 / 112" in result
    assert "Le pharmacien est prévenu. Il arrive." in result
    with get_db(alarming_unit).read() as db:
        alerts = db.execute(select(HelpRequest.kind, HelpRequest.screen)).all()
        actions = list(db.scalars(select(AuditEvent.action)))
    assert [tuple(a) for a in alerts] == [("bp_alert", "/consult/appel")]
    assert "measurement.taken" in actions
    assert len(readings_of(alarming_unit, appointment_id)) == 1


def test_an_impossible_reading_during_the_call_asks_to_measure_again(
    impossible_unit: Flask,
) -> None:
    """Issue 15 item 11 in the side panel: 300/90 is not a result; nothing reaches the doctor."""
    appointment_id, code = book_soon(impossible_unit)
    kiosk = start_consultation(impossible_unit, code)
    kiosk.tap("Non, continuer")
    kiosk.tap("Oui, je suis d'accord")
    kiosk.tap("Oui, j'entends")
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    kiosk.client.post("/consult/tension/mesure", headers=headers)
    panel = wait_until(lambda: "Ne bougez pas le bras." not in (
        page := kiosk.client.post("/consult/tension/live", headers=headers)
        .get_data(as_text=True)) and page)
    words = html.unescape(panel).replace("\u202f", " ")  # typography's thin space before ?
    assert "La mesure n'a pas marché. On recommence ?" in words
    assert "data-bp-result" not in panel and "300" not in panel
    assert "Mesurer ma tension" in panel  # the way to measure again
    assert readings_of(impossible_unit, appointment_id) == []


class BluetoothCuff:
    """A Bluetooth cuff's last hop (as in test_vitals): each measurement is the reading its
    0x2A35 indication bytes decode to, through the real parser (DEVICES.md §2)."""

    def __init__(self, indication: bytes) -> None:
        self.indication = indication

    def health(self) -> dict[str, Any]:
        from peripherals.models import DeviceHealth

        return {kind: DeviceHealth(kind, "ok" if kind == "bp" else "not_configured", None,
                                   utcnow()) for kind in ("bp", "card", "printer", "scanner")}

    def start_bp_measurement(self, deadline: float) -> Any:
        import threading

        from peripherals.ble_bp import parse_measurement
        from peripherals.bp_measurement import BpMeasurement

        handle = BpMeasurement(threading.Event())
        handle.future.set_result(parse_measurement(self.indication, utcnow()))
        return handle


def test_an_irregular_pulse_during_the_call_is_said_and_kept(settings: dict) -> None:
    from kiosk.vitals import measurements

    app = create_app({**settings, "speech_enabled": False})
    # DEVICES.md's vector: 120/80, pulse 72, body movement and an irregular pulse.
    app.extensions["kiosk_devices"] = BluetoothCuff(
        bytes.fromhex("1e 78 00 50 00 5d 00 e8 07 05 01 0a 1e 00 48 00 01 05 00"))
    seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
    try:
        appointment_id, code = book_soon(app)
        kiosk = start_consultation(app, code)
        kiosk.tap("Non, continuer")
        kiosk.tap("Oui, je suis d'accord")
        kiosk.tap("Oui, j'entends")
        headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
        kiosk.client.post("/consult/tension/mesure", headers=headers)
        result = wait_until(lambda: "data-bp-result" in (
            page := kiosk.client.post("/consult/tension/live", headers=headers)
            .get_data(as_text=True)) and page)
        assert "120 / 80" in result
        assert "Votre pouls n'était pas régulier pendant la mesure." in result
        [reading] = readings_of(app, appointment_id)
        # the doctor sees it too
        assert measurements.load(reading, get_vault(app)).irregular is True
    finally:
        get_db(app).dispose()
