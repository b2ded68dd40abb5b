"""Measuring blood pressure against the SunTech simulator speaking the real bytes (issue 5)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import func, select
from support import Kiosk, wait_until

from kiosk import create_app
from kiosk.core import runtime
from kiosk.core.db import get_db
from kiosk.core.records import AuditEvent, HelpRequest, Measurement
from kiosk.security.vault import get_vault
from kiosk.vitals import measurements
from peripherals import sim


def follow_the_guidance(kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    assert kiosk.question == "Mesurer votre tension"
    kiosk.tap("Commencer")
    assert kiosk.question == "Asseyez-vous bien au fond du siège."
    assert "Étape 1 sur 5" in kiosk.text
    kiosk.tap("C'est fait")
    assert kiosk.question == "Posez votre bras sur la table."
    kiosk.tap("C'est fait")
    assert kiosk.question == "Mettez le brassard sur votre bras."
    kiosk.tap("C'est fait")
    assert kiosk.question == "Reposez-vous un moment."


def test_two_readings_give_an_average_in_words(cuff_unit) -> None:
    app, _cuff = cuff_unit()
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    assert kiosk.measure_bp() == "/vitals/between"
    kiosk.open("/vitals/between")
    assert kiosk.question == "Première mesure faite."
    assert kiosk.measure_bp() == "/vitals/result"
    kiosk.open("/vitals/result")
    assert kiosk.question == "Votre tension"
    assert "115 / 74" in kiosk.text  # the simulator's golden reading, twice
    assert "Votre tension est bonne." in kiosk.text
    assert "Ce n'est pas un diagnostic." in kiosk.text
    with get_db(app).read() as db:
        row = db.scalars(select(Measurement)).one()
    assert "115" not in row.values_token  # encrypted at rest
    assert measurements.load(row, get_vault(app)).readings == ((115, 74, 85), (115, 74, 85))
    with get_db(app).read() as db:  # journaled: who measured, never the values
        taken = db.scalars(select(AuditEvent).where(AuditEvent.action == "measurement.taken")).one()
    assert taken.actor.startswith("session:") and "115" not in repr(vars(taken))


def test_arreter_deflates_the_cuff_at_once(cuff_unit) -> None:
    app, cuff = cuff_unit(measure_time=20)
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.tap("Commencer la mesure")
    wait_until(lambda: cuff.device.measuring)  # the cuff is inflating
    aborts_before = cuff.device.aborts
    kiosk.tap("Arrêter")
    assert kiosk.question == "La mesure est arrêtée."
    wait_until(lambda: not cuff.device.measuring, timeout=5)  # deflated, long before 20 s
    assert cuff.device.aborts > aborts_before


def test_while_the_cuff_works_the_screen_says_so_and_never_shows_a_result(cuff_unit) -> None:
    """Issue 13 item 14: "163 mmHg" as large as a result could be read as one. The screen
    says what the cuff does, and the pressure is only the small progress of a bar."""
    from bs4 import BeautifulSoup

    from kiosk.speech import rendering as speech

    app, _cuff = cuff_unit(measure_time=3)
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.tap("Commencer la mesure")
    spoken = speech.screen_utterance(kiosk.response.get_data(as_text=True), "fr",
                                     asked=False).text
    assert "Le brassard gonfle" in spoken and "mmHg" not in spoken
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    states, pressures = [], []
    while (live := kiosk.client.post("/vitals/live", headers=headers)).status_code == 200:
        shown = BeautifulSoup(live.get_data(as_text=True), "html.parser")
        states.append(" ".join(shown.select_one(".cuff-state").get_text().split()))
        pressure = shown.select_one(".cuff-pressure")
        assert pressure is not None and not shown.select(".reading, .pressure")
        assert "Pression du brassard" in pressure.get_text()
        pressures.append(int(shown.select_one("progress")["value"]))
        time.sleep(0.1)
    assert states[0] == "Le brassard gonfle…"
    assert states[-1] == "Le brassard se dégonfle…"
    assert states == sorted(states, key=lambda state: "dégonfle" in state)  # then, never back
    assert max(pressures) > 100


@pytest.mark.parametrize(("scenario", "sentence"), [
    ("loose_cuff", "Le brassard est mal serré."),
    ("movement", "Vous avez bougé."),
    ("weak_signal", "Le signal est trop faible."),
])
def test_each_cuff_error_has_a_plain_sentence_and_a_way_forward(cuff_unit, scenario: str,
                                                               sentence: str) -> None:
    app, _cuff = cuff_unit(scenario)
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    where = kiosk.measure_bp()
    kiosk.open(where)
    assert kiosk.question == sentence
    assert "Réessayer" in kiosk.text
    kiosk.tap("Réessayer")
    assert kiosk.question in ("Mettez le brassard sur votre bras.", "Reposez-vous un moment.")


@pytest.mark.parametrize("reading", [
    (300, 90, 70, 160),   # systolic above 260
    (45, 30, 70, 35),     # systolic below 50
    (150, 170, 70, 163),  # diastolic above 160 (and above the systolic)
    (120, 25, 70, 57),    # diastolic below 30
    (120, 80, 250, 93),   # pulse above 220
    (120, 80, 25, 93),    # pulse below 30
    (100, 100, 70, 100),  # systolic not above diastolic
], ids=["sys-high", "sys-low", "dia-high", "dia-low", "pulse-high", "pulse-low", "sys-eq-dia"])
def test_an_impossible_reading_asks_to_measure_again_and_is_never_a_result(
    cuff_unit, reading: tuple[int, int, int, int],
) -> None:
    """Issue 15 item 11: the cuff sends a valid frame with numbers no person has."""
    app, _cuff = cuff_unit("normal", reading=reading)
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    where = kiosk.measure_bp()
    assert where == "/vitals/problem?what=out_of_range"
    kiosk.open(where)
    assert kiosk.question == "La mesure n'a pas marché."
    assert "On recommence ?" in kiosk.text
    assert str(reading[0]) not in kiosk.text
    kiosk.open("/vitals/result")  # no result to show: back to the start
    assert kiosk.question == "Mesurer votre tension"
    with get_db(app).read() as db:
        assert db.scalar(select(func.count()).select_from(Measurement)) == 0
    kiosk.open(where)
    kiosk.tap("Réessayer")
    assert kiosk.question == "Reposez-vous un moment."


def test_readings_at_the_edges_of_the_range_are_results(cuff_unit) -> None:
    app, _cuff = cuff_unit("normal", reading=(260, 159, 220, 193))
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    assert kiosk.measure_bp() == "/vitals/between"


def test_after_two_failures_the_way_forward_is_the_pharmacist(cuff_unit) -> None:
    app, _cuff = cuff_unit("movement")
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.open(kiosk.measure_bp())
    assert "Le pharmacien peut vous aider." not in kiosk.text
    kiosk.tap("Réessayer")
    kiosk.open(kiosk.measure_bp())
    assert "Le pharmacien peut vous aider. Appuyez sur Aide." in kiosk.text


def test_a_very_high_reading_alerts_the_staff(cuff_unit) -> None:
    app, _cuff = cuff_unit("normal", reading=(185, 112, 90, 136))
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.measure_bp()
    kiosk.open("/vitals/between")
    kiosk.open(kiosk.measure_bp())
    assert "Parlez-en tout de suite au pharmacien." in kiosk.text
    assert "Le pharmacien est prévenu. Il arrive." in kiosk.text
    with get_db(app).read() as db:
        kinds = list(db.scalars(select(HelpRequest.kind)))
    assert kinds == ["bp_alert"]


def test_a_result_not_shared_is_forgotten_with_the_visit(cuff_unit) -> None:
    app, _cuff = cuff_unit()
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.measure_bp()
    kiosk.open("/vitals/between")
    kiosk.open(kiosk.measure_bp())
    with get_db(app).read() as db:
        assert db.scalar(select(func.count()).select_from(Measurement)) == 1
    kiosk.tap("Terminer")
    with get_db(app).read() as db:
        assert db.scalar(select(func.count()).select_from(Measurement)) == 0


def test_the_result_exports_as_a_valid_fhir_observation() -> None:
    from datetime import UTC, datetime

    from kiosk.fhir.bp_panel import observation_resource

    resource = observation_resource(
        measurements.Result(126, 82, 72, ((120, 80, 70), (131, 85, 73))),
        datetime(2026, 11, 30, 9, 0, tzinfo=UTC), patient_id=3,
    ).model_dump(mode="json", exclude_none=True)
    assert resource["code"]["coding"][0]["code"] == "85354-9"
    values = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"]
              for c in resource["component"]}
    assert values == {"8480-6": 126, "8462-4": 82, "8867-4": 72}
    assert resource["subject"] == {"reference": "Patient/3"}


def test_a_reading_before_todays_consultation_is_attached_to_it(cuff_unit) -> None:
    import time_machine

    from kiosk.core.records import Appointment
    from kiosk.demo.data import seed_demo

    app, _cuff = cuff_unit()
    with time_machine.travel("2026-11-30 08:00 +0000", tick=True):
        seed_demo(get_db(app), "Mairie", "Europe/Paris", 15)
        kiosk = Kiosk(app.test_client())
        kiosk.type_who_i_am("LIN", "LUC", ("3", "mars", "1950"))
        for word in ("Passer", "Passer", "Oui, c'est moi", "Autre", "Passer les questions"):
            kiosk.tap(word)
        words = kiosk.buttons
        kiosk.tap(next(w for w in words if w.startswith("Le plus tôt")))
        kiosk.tap("Confirmer")
        kiosk.tap("Mesurer ma tension pour le médecin")
        assert kiosk.question == "Mesurer votre tension"
        for _ in range(4):  # Commencer, then "C'est fait" on each of the three instructions
            kiosk.tap("Commencer" if "Commencer" in kiosk.text else "C'est fait")
        kiosk.measure_bp()
        kiosk.open("/vitals/between")
        kiosk.open(kiosk.measure_bp())
    assert "Le médecin verra ce résultat pendant votre rendez-vous." in kiosk.text
    with get_db(app).read() as db:
        measurement = db.scalars(select(Measurement)).one()
        appointment = db.scalars(select(Appointment)).one()
    assert measurement.appointment_id == appointment.id
    kiosk.tap("Terminer")  # shared with the doctor: kept after the visit
    with get_db(app).read() as db:
        assert db.scalar(select(func.count()).select_from(Measurement)) == 1


def test_the_result_prints_on_the_ticket_printer(settings: dict) -> None:
    cuff = sim.run("bp", "normal", measure_time=0.3)
    printer = sim.run("printer", "normal")
    app = create_app({**settings, "bp_url": cuff.url, "printer_url": printer.url,
                      "bp_rest_seconds": 0, "bp_interval_seconds": 0, "bp_readings": 1,
                      "speech_enabled": False})
    runtime.start(app)
    try:
        wait_until(lambda: app.test_client().get("/healthz").json["devices"]["bp"]["state"]
                   == "ok")
        kiosk = Kiosk(app.test_client())
        follow_the_guidance(kiosk)
        kiosk.open(kiosk.measure_bp())
        kiosk.tap("Imprimer le résultat")
        assert "Prenez votre ticket." in kiosk.text
        printed = printer.device.printed()
        assert b"115 / 74 mmHg" in printed
        # The day itself, for paper read later: "Lundi 30 novembre à 9 h 05".
        day = format_date(datetime.now(ZoneInfo("Europe/Paris")).date(), "EEEE d MMMM",
                          locale="fr")
        assert f"{day[:1].upper()}{day[1:]} à ".encode("cp858") in printed
        assert b"Aujourd" not in printed
    finally:
        runtime.stop(app)
        cuff.stop()
        printer.stop()
        get_db(app).dispose()


def test_the_result_is_spoken_only_when_the_person_asks(cuff_unit) -> None:
    from kiosk.speech import rendering as speech

    app, _cuff = cuff_unit()
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.measure_bp()
    kiosk.open("/vitals/between")
    kiosk.open(kiosk.measure_bp())
    html = kiosk.response.get_data(as_text=True)
    public = speech.screen_utterance(html, "fr", asked=False).text
    assert "cent quinze" not in public and "115" not in public and "bonne" not in public
    assert "Les informations sont à l'écran." in public
    assert "Écouter le résultat" in kiosk.text
    asked = speech.screen_utterance(html, "fr", asked=True).text
    assert "cent quinze" in asked and "Votre tension est bonne." in asked


class BluetoothCuff:
    """A Bluetooth cuff's last hop, for a machine without Bluetooth: each measurement is the
    reading its 0x2A35 indication bytes decode to, through the real parser (DEVICES.md §2)."""

    def __init__(self, indication: bytes) -> None:
        self.indication = indication

    def health(self) -> dict[str, Any]:
        from datetime import UTC, datetime

        from peripherals.models import DeviceHealth

        return {"bp": DeviceHealth("bp", "ok", None, datetime.now(UTC))}

    def start_bp_measurement(self, deadline: float) -> Any:
        import threading
        from datetime import UTC, datetime

        from peripherals.ble_bp import parse_measurement
        from peripherals.bp_measurement import BpMeasurement

        handle = BpMeasurement(threading.Event())
        handle.future.set_result(parse_measurement(self.indication, datetime.now(UTC)))
        return handle


def test_an_irregular_pulse_is_said_plainly_and_reaches_the_doctor(settings: dict) -> None:
    app = create_app({**settings, "bp_rest_seconds": 0, "bp_interval_seconds": 0,
                      "speech_enabled": False})
    # DEVICES.md's vector: 120/80, pulse 72, body movement and an irregular pulse.
    app.extensions["kiosk_devices"] = BluetoothCuff(
        bytes.fromhex("1e 78 00 50 00 5d 00 e8 07 05 01 0a 1e 00 48 00 01 05 00"))
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    assert kiosk.measure_bp() == "/vitals/between"
    kiosk.open("/vitals/between")
    kiosk.open(kiosk.measure_bp())
    assert "120 / 80" in kiosk.text
    assert "Votre pouls n'était pas régulier pendant la mesure." in kiosk.text
    assert "Le brassard a senti un mouvement." in kiosk.text
    with get_db(app).read() as db:
        row = db.scalars(select(Measurement)).one()
    result = measurements.load(row, get_vault(app))
    assert result.irregular is True
    from kiosk.fhir.bp_panel import observation_resource

    assert observation_resource(result, row.taken_at).model_dump(mode="json")["note"] == [
        {"text": "Irregular pulse reported by the cuff."}]
    get_db(app).dispose()


def test_a_regular_reading_says_nothing_about_the_pulse(cuff_unit) -> None:
    app, _cuff = cuff_unit()
    kiosk = Kiosk(app.test_client())
    follow_the_guidance(kiosk)
    kiosk.measure_bp()
    kiosk.open("/vitals/between")
    kiosk.open(kiosk.measure_bp())
    assert "115 / 74" in kiosk.text
    assert "régulier" not in kiosk.text and "mouvement" not in kiosk.text
