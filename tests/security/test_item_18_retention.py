"""Retention with frozen time: what is past its period goes, what is not stays (SECURITY 17, 18)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select
from support import Kiosk

from kiosk.booking import service, slots
from kiosk.booking.service import Clinical, Identity
from kiosk.cli.main import cli
from kiosk.core.db import get_db
from kiosk.core.records import (
    Appointment,
    AuditEvent,
    Base,
    CodeGuess,
    CodePause,
    Consent,
    HelpRequest,
    KioskSession,
    Measurement,
    Patient,
)
from kiosk.demo.data import seed_demo
from kiosk.security.purge import purge, purge_app
from kiosk.security.vault import get_vault
from kiosk.vitals import measurements

MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
# What a purge past every retention leaves, and why: the unit's set-up (nothing about a
# patient) and the journal (its own retention; checked for names). Every other table must be
# empty: a new table fails the test until the purge covers it or it is named here.
KEPT = {"site", "practitioner", "availability", "availability_exception", "slot", "account",
        "api_token", "audit_event", "audit_purge_floor"}


def count(app: Flask, model: type) -> int:
    with get_db(app).read() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def book_with_reading(app: Flask, now: datetime, key: str) -> int:
    database, vault = get_db(app), get_vault(app)
    with database.read() as db:
        slot = slots.earliest_free(db, now)
    appointment = service.book(
        database,
        vault,
        slot_id=slot.id,
        identity=Identity("DURAND", "Luc", date(1950, 3, 3)),
        clinical=Clinical("other"),
        idempotency_key=key,
        actor="test",
        now=now,
    )
    measurements.save(
        database,
        vault,
        session_ref="abc",
        result=measurements.Result(120, 80, 70, ()),
        appointment_id=appointment.id,
        taken_at=now,
    )
    return appointment.id


def test_item_18_old_appointments_go_with_their_patient_and_readings(app: Flask) -> None:
    seed_demo(get_db(app), "Mairie", "Europe/Paris", 15, now=MONDAY)
    with app.app_context():
        book_with_reading(app, MONDAY, "old")
    settings = app.config["KIOSK"]
    later = MONDAY + timedelta(days=settings["retention_days"] - 1)
    assert purge(get_db(app), settings, later).appointments == 0  # not yet
    seed_demo(get_db(app), "Mairie", "Europe/Paris", 15, now=later)
    with app.app_context():
        recent = book_with_reading(app, later, "recent")
    report = purge(get_db(app), settings, MONDAY + timedelta(days=settings["retention_days"] + 1))
    assert (report.appointments, report.patients, report.measurements) == (1, 1, 1)
    with get_db(app).read() as db:
        assert list(db.scalars(select(Appointment.id))) == [recent]
    assert count(app, Patient) == 1 and count(app, Measurement) == 1


def test_item_18_the_audit_journal_and_help_requests_expire_and_the_purge_is_audited(
    app: Flask,
) -> None:
    settings = app.config["KIOSK"]
    with get_db(app).write() as db:
        db.add(AuditEvent(at=MONDAY, actor="test", action="appointment.booked", subject_ref="x"))
        db.add(HelpRequest(created_at=MONDAY, session_ref="abc", screen="/"))
    report = purge(get_db(app), settings, MONDAY + timedelta(days=31))
    assert report.help_requests == 1 and report.audit_events == 0
    report = purge(
        get_db(app), settings, MONDAY + timedelta(days=settings["audit_retention_days"] + 1)
    )
    assert report.audit_events == 1  # the year-old entry; the first purge's is younger
    with get_db(app).read() as db:
        actions = list(db.scalars(select(AuditEvent.action)))
    assert actions == ["retention.purged", "retention.purged"]


def test_item_18_visits_that_were_never_ended_are_removed(app: Flask, kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("English")
    assert count(app, KioskSession) == 1
    purge(get_db(app), app.config["KIOSK"], datetime.now(UTC) + timedelta(hours=2))
    assert count(app, KioskSession) == 0


def test_item_18_kiosk_purge_reports_what_it_deleted(app: Flask, settings: dict) -> None:
    result = CliRunner().invoke(cli, ["purge"], env={"KIOSK_DATA_DIR": settings["data_dir"]})
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("deleted") and "0 appointments" in result.output
    assert "0 code guesses, 0 code pauses" in result.output  # the areas' sweeps ran too


def test_item_18_a_consent_ends_with_a_visit_the_purge_removes(app: Flask, kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    with get_db(app).read() as db:
        ref = db.scalars(select(KioskSession.id_hash)).one()[:12]
    with get_db(app).write() as db:
        db.add(Consent(visit_ref=ref, helper_name="Sophie", helper_title="pharmacienne",
                       scope="book", state="accepted", offered_at=datetime.now(UTC)))
    purge(get_db(app), app.config["KIOSK"], datetime.now(UTC) + timedelta(minutes=5))
    with get_db(app).read() as db:
        assert db.scalars(select(Consent.state)).one() == "accepted"  # the visit is still on
    purge(get_db(app), app.config["KIOSK"], datetime.now(UTC) + timedelta(hours=2))
    with get_db(app).read() as db:
        consent = db.scalars(select(Consent)).one()
    assert consent.state == "ended" and consent.ended_at is not None


def test_item_18_wrong_tries_go_after_the_hour_and_a_pause_once_it_is_over(app: Flask) -> None:
    """SECURITY.md items 18 and 24: a refused try is kept while it counts (an hour), a pause
    while it lasts. Purging them changes nothing a person notices: code entry stays paused
    while the pause lasts, and after it the twenty tries it counted do not pause again."""
    import time_machine
    from proof_support import one_wrong_try, unknown_code, wrong_tries

    paused = "Les codes sont en pause."
    with time_machine.travel(MONDAY, tick=False) as clock:
        assert wrong_tries(app, 20).question == paused  # paused from 8:00 to 8:15
        clock.shift(timedelta(minutes=10))
        report = purge_app(app, datetime.now(UTC))
        assert (report.swept["code_guesses"], report.swept["code_pauses"]) == (0, 0)
        waiting = Kiosk(app.test_client())
        waiting.open("/")
        waiting.tap("J'ai un rendez-vous")
        waiting.tap("Avec le code du rendez-vous")
        assert waiting.question == paused
        clock.shift(timedelta(minutes=6))  # the pause is over
        report = purge_app(app, datetime.now(UTC))
        assert (report.swept["code_guesses"], report.swept["code_pauses"]) == (20, 1)
        later = Kiosk(app.test_client())
        one_wrong_try(later, unknown_code(app, 21))
        assert later.question == "Quel est le code de votre rendez-vous ?"  # not paused again
        clock.shift(timedelta(minutes=30))
        assert purge_app(app, datetime.now(UTC)).swept["code_guesses"] == 0  # it counts
        clock.shift(timedelta(minutes=31))
        assert purge_app(app, datetime.now(UTC)).swept["code_guesses"] == 1
    assert count(app, CodeGuess) == 0 and count(app, CodePause) == 0


def test_item_18_a_purge_past_retention_leaves_nothing_personal_after_real_flows(
    settings: dict,
) -> None:
    """Issue 15 item 4: every personal table filled through the real flows -- a patient created
    through the FHIR API and never booked, one booked through the API with a reading sent, a
    visit at the kiosk that typed a name and measured on the cuff and was never ended, twenty
    wrong codes that paused code entry and called staff -- then `kiosk purge` dated past
    retention: no patient, appointment, reading, visit, try, pause or help call is left; only
    the unit's set-up and the journal (``KEPT``)."""
    import time_machine
    from devices_support import cuff_unit
    from fhir_support import patient_body, seeded_api
    from proof_support import wrong_tries

    with cuff_unit(settings) as (app, _cuff):
        with time_machine.travel("2026-11-30 08:00 +0000", tick=True) as clock:
            api = seeded_api(app)
            never_booked = api.call("POST", "/fhir/Patient", body=patient_body())
            assert never_booked.status_code == 201
            booked = api.call("POST", "/fhir/Patient", body=patient_body(
                name=[{"family": "Martinez", "given": ["Paul"]}], identifier=None,
                birthDate="1960-01-02", telecom=None))
            patient_id = booked.headers["Location"].rsplit("/", 1)[1]
            with get_db(app).read() as db:
                slot = slots.earliest_free(db, datetime.now(UTC))
            assert api.book(slot.id, patient_id).status_code == 201
            kiosk = Kiosk(app.test_client())  # a visit that measures and walks away
            kiosk.get_ready_for_bp()
            for then in ("/vitals/between", "/vitals/result"):
                assert kiosk.measure_bp() == then
                kiosk.open(then)
            assert "115 / 74" in kiosk.text
            assert count(app, Measurement) == 1
            assert count(app, Patient) == 2 and count(app, Appointment) == 1
            assert count(app, KioskSession) == 1
            # Twenty wrong codes at the unit (SECURITY.md item 24): tries counted, code entry
            # paused, staff called by the visits stopped at three.
            assert wrong_tries(app, 20).question == "Les codes sont en pause."
            assert count(app, CodeGuess) == 20 and count(app, CodePause) == 1
            assert count(app, HelpRequest) == 6
            clock.shift(timedelta(days=app.config["KIOSK"]["retention_days"] + 2))
            result = CliRunner().invoke(cli, ["purge"],
                                        env={"KIOSK_DATA_DIR": settings["data_dir"]})
        assert result.exit_code == 0, result.output
        for model in (Patient, Appointment, Measurement, KioskSession, CodeGuess, CodePause):
            assert count(app, model) == 0, model.__name__
        with get_db(app).read() as db:
            left = {table.name: db.scalar(select(func.count()).select_from(table))
                    for table in Base.metadata.sorted_tables if table.name not in KEPT}
        assert {name: rows for name, rows in left.items() if rows} == {}
        with get_db(app).read() as db:
            names = [repr(tuple(r)) for r in db.execute(select(AuditEvent))]
        assert not any("Durand" in n or "Martinez" in n for n in names)
        assert "0 appointments" not in result.output  # something was really purged
