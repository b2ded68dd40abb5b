"""The doctor's desk: opening hours, readings that arrive live, the note printed at the kiosk."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from babel.dates import format_date
from flask import Flask
from portal_support import NOW, Doctor, book_for
from sqlalchemy import func, select
from support import wait_until

from kiosk import create_app
from kiosk.core import runtime
from kiosk.core.db import get_db
from kiosk.core.records import (
    Appointment,
    AuditEvent,
    AvailabilityException,
    ConsultNote,
    Practitioner,
    Slot,
)
from kiosk.demo.data import seed_demo
from kiosk.doctor import summary
from kiosk.security.purge import purge
from kiosk.security.vault import get_vault
from kiosk.vitals.measurements import Result, save
from peripherals import sim

PARIS = ZoneInfo("Europe/Paris")


def free_starts(app: Flask, surname: str, day: date) -> list[str]:
    """The local start times of the doctor's slots on ``day``, as "HH:MM"."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
    with get_db(app).read() as db:
        starts = db.scalars(
            select(Slot.starts_at).join(Practitioner).where(
                Practitioner.surname == surname, Slot.starts_at >= start,
                Slot.starts_at < start + timedelta(days=1)).order_by(Slot.starts_at))
        return [s.astimezone(PARIS).strftime("%H:%M") for s in starts]


def audit_actions(app: Flask) -> list[str]:
    with get_db(app).read() as db:
        return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


SATURDAY = date(2026, 12, 5)
SUNDAY = date(2026, 12, 6)


def test_a_weekly_opening_offers_new_times_at_once_and_can_be_taken_back(
    dr: Doctor, portal_app: Flask
) -> None:
    dr.sign_in()
    dr.open("/doctor/availability")
    assert "Lundi 09:00 12:00" in dr.text
    assert free_starts(portal_app, "Martin", SATURDAY) == []
    dr.post("/doctor/availability/weekly", weekday="5", start="10:00", end="11:00")
    assert "Samedi 10:00 11:00" in dr.text
    assert free_starts(portal_app, "Martin", SATURDAY) == ["10:00", "10:15", "10:30", "10:45"]
    with get_db(portal_app).read() as db:
        saturday = db.scalar(select(Practitioner).where(Practitioner.surname == "Martin"))
        row = next(a for a in saturday.availabilities if a.weekday == 5)
    dr.post(f"/doctor/availability/weekly/{row.id}/delete")
    assert "Samedi 10:00 11:00" not in dr.text
    assert free_starts(portal_app, "Martin", SATURDAY) == []
    assert audit_actions(portal_app).count("availability.added") == 1
    assert audit_actions(portal_app).count("availability.removed") == 1


@pytest.mark.parametrize(
    ("start", "end", "sentence"),
    [
        ("11:00", "10:00", "L'heure de fin doit venir après l'heure de début."),
        ("10:00", "10:00", "L'heure de fin doit venir après l'heure de début."),
        ("10h", "11:00", "Écrivez les heures comme 14:30."),
        ("25:00", "26:00", "Écrivez les heures comme 14:30."),
        ("11:00", "13:00", "Ces heures recouvrent une ouverture de ce jour-là."),
    ],
)
def test_impossible_hours_get_a_sentence_and_keep_what_was_typed(
    dr: Doctor, portal_app: Flask, start: str, end: str, sentence: str
) -> None:
    dr.sign_in()
    before = free_starts(portal_app, "Martin", NOW.date())
    dr.open("/doctor/availability")
    response = dr.post("/doctor/availability/weekly", weekday="0", start=start, end=end)
    assert response.status_code == 400
    assert sentence in dr.text
    assert f'value="{start}"' in response.get_data(as_text=True)
    assert free_starts(portal_app, "Martin", NOW.date()) == before


def test_time_off_closes_free_times_but_never_a_booked_one(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    booked = martins.slot_id
    dr.sign_in()
    dr.open("/doctor/availability")
    dr.post("/doctor/availability/exception", day="2026-11-30", kind="off", start="", end="")
    assert "Absence" in dr.text and "toute la journée" in dr.text
    with get_db(portal_app).read() as db:
        left = list(db.scalars(select(Slot.id).join(Practitioner).where(
            Practitioner.surname == "Martin", Slot.starts_at >= NOW,
            Slot.starts_at < NOW + timedelta(hours=12))))
        assert db.get(Appointment, martins.id).status == "booked"
    assert left == [booked]
    assert "Rendez-vous déjà réservés hors de vos horaires : 1. Ils restent prévus." in dr.text


def test_extra_hours_on_a_sunday_and_undoing_them(dr: Doctor, portal_app: Flask) -> None:
    dr.sign_in()
    dr.open("/doctor/availability")
    dr.post("/doctor/availability/exception", day=SUNDAY.isoformat(), kind="extra",
            start="10:00", end="10:30")
    assert "Heures en plus" in dr.text
    assert free_starts(portal_app, "Martin", SUNDAY) == ["10:00", "10:15"]
    assert dr.post("/doctor/availability/exception/999999/delete").status_code == 404
    with get_db(portal_app).read() as db:
        exception_id = db.scalar(select(AvailabilityException.id))
    dr.post(f"/doctor/availability/exception/{exception_id}/delete")
    assert free_starts(portal_app, "Martin", SUNDAY) == []
    assert "Aucune exception à venir." in dr.text


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"day": "2026-11-29", "kind": "off"}, "Ce jour est passé."),
        ({"day": "le 3 décembre", "kind": "off"}, "Écrivez la date comme 2026-12-24."),
        ({"day": "2026-12-03", "kind": "extra"},
         "Pour des heures en plus, donnez le début et la fin."),
        ({"day": "2026-12-03", "kind": "off", "start": "10:00"},
         "Écrivez les heures comme 14:30."),
    ],
)
def test_impossible_exceptions_get_a_sentence(
    dr: Doctor, fields: dict[str, str], sentence: str
) -> None:
    dr.sign_in()
    dr.open("/doctor/availability")
    assert dr.post("/doctor/availability/exception", **fields).status_code == 400
    assert sentence in dr.text


def test_a_doctor_cannot_touch_another_doctors_hours(dr: Doctor, portal_app: Flask) -> None:
    with get_db(portal_app).read() as db:
        theirs = db.scalar(select(Practitioner).where(Practitioner.surname == "Benali"))
        their_row = theirs.availabilities[0].id
    dr.sign_in()
    assert dr.post(f"/doctor/availability/weekly/{their_row}/delete").status_code == 404
    with get_db(portal_app).read() as db:
        assert db.get(Practitioner, theirs.id).availabilities[0].id == their_row
    dr.client.post("/doctor/logout", data={"csrf_token": dr.token()})
    assert dr.open("/doctor/availability").request.path == "/doctor/login"


def test_a_reading_taken_at_the_kiosk_appears_in_the_polled_list(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    dr.sign_in()
    page = dr.open(f"/doctor/appointment/{martins.id}").get_data(as_text=True)
    assert f'hx-get="/doctor/appointment/{martins.id}/readings"' in page
    assert "Aucune mesure." in dr.text
    viewed = audit_actions(portal_app).count("doctor.viewed_appointment")
    with portal_app.app_context():
        save(get_db(portal_app), get_vault(portal_app), session_ref="visit-1",
             result=Result(131, 84, 66, ((130, 83, 65), (132, 85, 67))),
             appointment_id=martins.id, taken_at=NOW)
    dr.open(f"/doctor/appointment/{martins.id}/readings")
    assert "09:00 · 131/84 mmHg, pouls 66" in dr.text
    assert "irrégulier" not in dr.text
    with portal_app.app_context():
        save(get_db(portal_app), get_vault(portal_app), session_ref="visit-1",
             result=Result(128, 80, 90, ((128, 80, 90),), irregular=True),
             appointment_id=martins.id, taken_at=NOW)
    dr.open(f"/doctor/appointment/{martins.id}/readings")
    assert "128/80 mmHg, pouls 90, pouls irrégulier selon le brassard" in dr.text
    # Polling every few seconds must not flood the journal.
    assert audit_actions(portal_app).count("doctor.viewed_appointment") == viewed
    theirs = book_for(portal_app, "Benali", "benali-1")
    assert dr.open(f"/doctor/appointment/{theirs.id}/readings").status_code == 404


def test_the_note_is_kept_encrypted_replaced_in_place_and_audited_without_text(
    dr: Doctor, portal_app: Flask, martins: Appointment
) -> None:
    dr.sign_in()
    dr.open(f"/doctor/appointment/{martins.id}")
    dr.post(f"/doctor/appointment/{martins.id}/note",
            summary="Fièvre virale. Buvez beaucoup.", prescription="Paracétamol 1 g")
    assert "Enregistré. Référence" in dr.text
    assert "Fièvre virale. Buvez beaucoup." in dr.text  # the form shows what is stored
    with get_db(portal_app).read() as db:
        note = db.scalar(select(ConsultNote))
        first_reference, token = note.reference, note.text_token
    assert "Paracétamol" not in token and "Fièvre" not in token
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Grippe.", prescription="")
    with portal_app.app_context():
        found = summary.written(get_db(portal_app), get_vault(portal_app), martins.id)
    assert found is not None
    assert (found.summary, found.prescription, found.reference) == ("Grippe.", "",
                                                                    first_reference)
    assert found.doctor == "Claire Martin"
    with get_db(portal_app).read() as db:
        rows = list(db.scalars(select(AuditEvent).where(
            AuditEvent.action == "doctor.wrote_summary")))
    assert len(rows) == 2
    assert all("Grippe" not in r.subject_ref + r.actor for r in rows)


def test_an_empty_note_is_refused_with_a_sentence(dr: Doctor, martins: Appointment) -> None:
    dr.sign_in()
    dr.open(f"/doctor/appointment/{martins.id}")
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="   ", prescription="\r\n")
    assert "Rien n'a été écrit" in dr.text


def test_a_note_on_another_doctors_appointment_is_refused(
    dr: Doctor, portal_app: Flask
) -> None:
    theirs = book_for(portal_app, "Benali", "benali-1")
    dr.sign_in()
    assert dr.post(f"/doctor/appointment/{theirs.id}/note", summary="x").status_code == 404
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(ConsultNote)) == 0


def test_the_note_goes_when_its_appointment_is_purged(
    dr: Doctor, portal_app: Flask, martins: Appointment, clock: time_machine.Traveller
) -> None:
    dr.sign_in()
    dr.open(f"/doctor/appointment/{martins.id}")
    dr.post(f"/doctor/appointment/{martins.id}/note", summary="Repos.")
    later = NOW + timedelta(days=portal_app.config["KIOSK"]["retention_days"] + 2)
    purge(get_db(portal_app), portal_app.config["KIOSK"], later)
    with get_db(portal_app).read() as db:
        assert db.scalar(select(func.count()).select_from(ConsultNote)) == 0




def noted(app: Flask, words: str, prescription: str) -> Appointment:
    """A Monday-morning appointment with Dr Martin, and what she wrote for it."""
    with time_machine.travel("2026-11-30 08:00 +0000", tick=False):
        seed_demo(get_db(app), "Mairie de Test", "Europe/Paris", 15)
        appointment = book_for(app, "Martin", "martin-note")
        with get_db(app).read() as db:
            martin = db.scalar(select(Practitioner.id).where(Practitioner.surname == "Martin"))
        with app.app_context():
            summary.save(get_db(app), get_vault(app), appointment.id, martin, words,
                         prescription, "test", NOW)
    return appointment


def test_the_prescription_reaches_the_kiosk_printer_as_escpos(settings: dict) -> None:
    printer = sim.run("printer", "normal")
    app = create_app({**settings, "printer_url": printer.url, "card_reader": ""})
    try:
        appointment = noted(app, "Angine. Revenez si ça dure.",
                            "Amoxicilline 1 g matin et soir, 6 jours")
        runtime.start(app)
        wait_until(lambda: app.test_client().get("/healthz").json["devices"]["printer"]["state"]
                   == "ok")
        with app.test_request_context():
            found = summary.written(get_db(app), get_vault(app), appointment.id)
            assert found is not None
            assert summary.print_written(found).kind == "printed"
        printed = printer.device.printed()
        assert printed.startswith(b"\x1b@")  # ESC @: the printer is initialised
        assert b"\x1dV" in printed  # GS V: the paper is cut
        assert b"Amoxicilline 1 g matin et soir" in printed
        assert b"Ordonnance" in printed
        assert found.reference.encode() in printed
        assert b"\x1d(k" in printed  # GS ( k: the reference as a native QR code
        # The consultation's day and time, with the year: a prescription is kept.
        with get_db(app).read() as db:
            starts = db.get(Slot, appointment.slot_id).starts_at.astimezone(PARIS)
        day = format_date(starts.date(), "EEEE d MMMM y", locale="fr")
        paper = f"{day[:1].upper()}{day[1:]} à {starts.hour} h {starts.minute:02d}"
        assert paper.encode("cp858") in printed, paper
        with get_db(app).read() as db:
            assert db.scalar(select(ConsultNote.printed_at)) is not None
    finally:
        runtime.stop(app)
        printer.stop()
        get_db(app).dispose()


def test_an_offline_printer_is_reported_not_assumed(settings: dict) -> None:
    printer = sim.run("printer", "offline")
    app = create_app({**settings, "printer_url": printer.url, "card_reader": ""})
    try:
        appointment = noted(app, "Repos.", "")
        runtime.start(app)
        with app.test_request_context():
            found = summary.written(get_db(app), get_vault(app), appointment.id)
            assert found is not None
            assert summary.print_written(found).kind == "offline"
        with get_db(app).read() as db:
            assert db.scalar(select(ConsultNote.printed_at)) is None
    finally:
        runtime.stop(app)
        printer.stop()
        get_db(app).dispose()


def test_nothing_written_means_nothing_to_print(portal_app: Flask, martins: Appointment) -> None:
    with portal_app.app_context():
        assert summary.written(get_db(portal_app), get_vault(portal_app), martins.id) is None
