"""The FHIR R4 API (issue 4 item 10), as an integrator's client sees it.

Storage-facing behaviour (booking, retries, cancelling, patients, tokens, the race) runs on
SQLite and PostgreSQL; input checking runs on SQLite only, since no database is reached.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from booking_support import RACERS, booking_outcome, race
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir_support import (
    NIR,
    NIR_SYSTEM,
    NOW,
    OTHER_NIR,
    Api,
    count,
    first_free,
    outcome_of,
    patient_body,
    practitioner_id,
)
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from kiosk.booking.service import Clinical
from kiosk.core.db import Database, get_db
from kiosk.core.records import ApiToken, Appointment, AuditEvent, Patient
from kiosk.fhir import writes
from kiosk.security.tokens import create_token, token_group
from kiosk.security.vault import Vault, get_vault

# Tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer kiosk_" + "x" * 43, "Basic c29waGllOmRlbW8=", "Bearer " + "y" * 5000],
)
def test_no_live_token_is_401_with_a_bearer_challenge(api: Api, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path, body in (
        ("GET", "/fhir/Slot?status=free", None),
        ("GET", "/fhir/Patient/1", None),
        ("POST", "/fhir/Patient", patient_body()),
    ):
        sent = {"body": body} if body else {}
        response = api.call(method, path, token=None, headers=headers, **sent)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "bearer token" in outcome_of(response)
    assert count(api.database, Patient) == 0


def test_a_revoked_token_is_refused_on_both_databases(stored: Api) -> None:
    assert stored.call("GET", "/fhir/Slot?_count=1").status_code == 200
    with stored.database.write() as db:
        db.execute(
            update(ApiToken).where(ApiToken.name == "agenda-pharmacie").values(revoked_at=NOW)
        )
    response = stored.call("GET", "/fhir/Slot?_count=1")
    assert (
        response.status_code == 401
        and 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    )


def test_token_create_prints_a_working_token_and_stores_only_its_hash(seeded: Flask) -> None:
    benali = practitioner_id(get_db(seeded), "Benali")
    result = seeded.test_cli_runner().invoke(
        token_group,
        ["create", "--role", "doctor", "--name", "dr-benali", "--practitioner", "10002736451"],
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("kiosk_") and len(token) == 49
    with get_db(seeded).read() as db:
        rows = db.scalars(select(ApiToken)).all()
    assert [(r.name, r.role, r.practitioner_id, r.token_hash) for r in rows] == [
        ("dr-benali", "doctor", benali, hashlib.sha256(token.encode()).hexdigest())
    ]
    data_dir = Path(seeded.config["KIOSK"]["data_dir"])
    for stored_file in data_dir.glob("kiosk.db*"):  # the WAL too
        assert token.encode() not in stored_file.read_bytes()
    client = seeded.test_client()
    answer = client.get("/fhir/Slot?_count=1", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    revoked = seeded.test_cli_runner().invoke(token_group, ["revoke", "--name", "dr-benali"])
    assert revoked.exit_code == 0 and "1 token(s)" in revoked.output
    answer = client.get("/fhir/Slot?_count=1", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--role", "admin", "--name", "x"],
        ["create", "--role", "staff", "--name", "Jeanne Durand"],
    ],
)
def test_token_create_refuses_a_bad_role_or_name(app: Flask, args: list[str]) -> None:
    result = app.test_cli_runner().invoke(token_group, args)
    assert result.exit_code != 0
    with get_db(app).read() as db:
        assert db.scalar(select(func.count()).select_from(ApiToken)) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/fhir/Appointment"), ("POST", "/fhir/Patient"), ("PATCH", "/fhir/Appointment/1")],
)
def test_a_doctor_token_reads_but_may_not_book_cancel_or_create(
    api: Api, method: str, path: str
) -> None:
    response = api.call(method, path, token="doctor", body={})
    assert response.status_code == 403 and "doctor token" in outcome_of(response)


# Slots ----------------------------------------------------------------------------------


def test_slot_search_returns_free_slots_as_a_searchset_bundle(stored: Api) -> None:
    bundle = stored.slots("status=free&_count=5")
    assert bundle.type == "searchset" and bundle.total and bundle.total > 100
    slots = [entry.resource for entry in bundle.entry or []]
    assert len(slots) == 5 and {s.status for s in slots} == {"free"}
    # Monday 9:00 in Paris: 9:00 itself is within the 5-minute lead, so 9:15 comes first.
    assert str(slots[0].start) == "2026-11-30 09:15:00+01:00"
    assert slots[0].schedule.reference.startswith("Schedule/")
    assert bundle.entry[0].fullUrl == f"http://localhost/fhir/Slot/{slots[0].id}"
    starts = [s.start for s in slots]
    assert starts == sorted(starts)
    following = next(link.url for link in bundle.link if link.relation == "next")
    page_two = stored.slots(following.split("?", 1)[1])
    assert [e.resource.id for e in page_two.entry][0] not in {s.id for s in slots}
    schedule = stored.call("GET", f"/fhir/{slots[0].schedule.reference}").json
    doctor = stored.call("GET", f"/fhir/{schedule['actor'][0]['reference']}").json
    assert doctor["resourceType"] == "Practitioner" and doctor["name"][0]["prefix"] == ["Dr"]


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        # A date is a whole day in the site's time zone.
        ("start=ge2026-12-01&start=le2026-12-01", "2026-12-01T09:00", "2026-12-01T18:45"),
        (
            "start=ge2026-12-01T16:00:00Z&start=lt2026-12-01T17:00:00Z",
            "2026-12-01T17:00",
            "2026-12-01T17:45",
        ),
        # An unencoded "+" arrives as a space; it still means the offset.
        ("start=eq2026-12-02T10:30:00+01:00", "2026-12-02T10:30", "2026-12-02T10:30"),
        ("start=gt2026-12-11", "2026-12-12T08:30", "2026-12-12T12:15"),
    ],
)
def test_slot_search_filters_by_start(api: Api, query: str, first: str, last: str) -> None:
    bundle = api.slots(f"status=free&_count=200&{query}")
    starts = [e.resource.start.isoformat() for e in bundle.entry or []]
    assert starts and bundle.total == len(starts)
    assert starts[0].startswith(first) and starts[-1].startswith(last)


def test_slot_search_filters_by_schedule_and_status(api: Api) -> None:
    patient = api.create_patient()
    slot_id = first_free(api, "status=free&schedule=Schedule/2&_count=1")[0]
    assert api.book(slot_id, patient["id"]).status_code == 201
    busy = api.slots("status=busy", token="doctor")
    assert [(e.resource.id, e.resource.status) for e in busy.entry] == [(str(slot_id), "busy")]
    everything = api.slots("schedule=2&_count=200")
    assert {e.resource.schedule.reference for e in everything.entry} == {"Schedule/2"}
    assert str(slot_id) not in {e.resource.id for e in api.slots("status=free&_count=200").entry}
    assert api.call("GET", f"/fhir/Slot/{slot_id}").json["status"] == "busy"


# Patients -------------------------------------------------------------------------------


def test_a_patient_is_created_and_read_with_the_nir_for_care_only(stored: Api) -> None:
    created = stored.call("POST", "/fhir/Patient", body=patient_body())
    assert created.status_code == 201
    patient = FhirPatient.model_validate(created.json)
    assert created.headers["Location"] == f"http://localhost/fhir/Patient/{patient.id}"
    assert (patient.name[0].family, patient.name[0].given) == ("DURAND", ["JEANNE", "MARIE"])
    assert str(patient.birthDate) == "1953-07-15" and patient.gender == "female"
    assert patient.telecom[0].value == "0612345678"
    # A staff token books; the NIR is for care, so staff get it withheld, and are told so.
    assert patient.identifier is None and patient.meta.security[0].code == "REDACTED"
    # A doctor reaches a patient through an appointment with them (SECURITY.md item 26).
    assert stored.call("GET", f"/fhir/Patient/{patient.id}", token="doctor").status_code == 404
    assert stored.book(first_free(stored)[0], patient.id).status_code == 201  # with Dr Martin
    as_doctor = FhirPatient.model_validate(
        stored.call("GET", f"/fhir/Patient/{patient.id}", token="doctor").json
    )
    assert [(i.system, i.value) for i in as_doctor.identifier] == [(NIR_SYSTEM, NIR)]
    assert as_doctor.meta is None
    with stored.database.read() as db:
        row = db.get(Patient, int(patient.id))
        audit = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert row.source == "api" and len(row.pseudonym) == 12
    assert NIR not in (row.nir_token or "") and "0612345678" not in (row.phone_token or "")
    assert [(a.actor, a.action, a.subject_ref) for a in audit] == [
        ("api:agenda-pharmacie", "patient.created", row.pseudonym),
        ("api:agenda-pharmacie", "appointment.booked", row.pseudonym),
        ("api:dr-martin", "patient.read", row.pseudonym),
    ]


def test_a_patient_without_nir_or_phone_is_created(api: Api) -> None:
    patient = api.create_patient(identifier=None, telecom=None, gender="male")
    assert patient["gender"] == "male" and "meta" not in patient and "telecom" not in patient
    assert api.book(first_free(api)[0], patient["id"]).status_code == 201
    assert (
        "identifier" not in api.call("GET", f"/fhir/Patient/{patient['id']}", token="doctor").json
    )


# Appointments ---------------------------------------------------------------------------


def test_booking_a_slot_then_the_same_slot_again_is_409(stored: Api) -> None:
    patient = stored.create_patient()
    other = stored.create_patient(identifier=[{"system": NIR_SYSTEM, "value": OTHER_NIR}])
    slot_id = first_free(stored)[0]
    booked = stored.book(slot_id, patient["id"])
    assert booked.status_code == 201
    appointment = FhirAppointment.model_validate(booked.json)
    assert appointment.status == "booked"
    assert booked.headers["Location"] == f"http://localhost/fhir/Appointment/{appointment.id}"
    assert appointment.slot[0].reference == f"Slot/{slot_id}"
    assert appointment.participant[0].actor.reference == f"Patient/{patient['id']}"
    code = appointment.identifier[0].value
    assert len(code) == 6 and not set(code) & set("O0I1L")
    assert appointment.reasonCode is None  # health data: doctors only
    slot = stored.call("GET", f"/fhir/Slot/{slot_id}").json
    assert (appointment.start.isoformat(), appointment.end.isoformat()) == (
        slot["start"],
        slot["end"],
    )
    again = stored.book(slot_id, other["id"])
    assert again.status_code == 409 and "no longer free" in outcome_of(again)
    assert count(stored.database, Appointment) == 1 and count(stored.database, Patient) == 2
    as_doctor = stored.call("GET", f"/fhir/Appointment/{appointment.id}", token="doctor").json
    assert as_doctor["reasonCode"] == [{"text": "fièvre depuis trois jours"}]
    assert as_doctor["identifier"][0]["value"] == code
    with stored.database.read() as db:
        stored_row = db.get(Appointment, int(appointment.id))
    assert stored_row.created_by == "api:agenda-pharmacie"
    assert "fièvre" not in stored_row.clinical_token


def test_an_idempotent_retry_returns_the_same_appointment(stored: Api) -> None:
    patient = stored.create_patient()
    slot_id, other_slot, _ = first_free(stored)
    first = stored.book(slot_id, patient["id"], key="order-42")
    retry = stored.book(slot_id, patient["id"], key="order-42")
    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert count(stored.database, Appointment) == 1 and count(stored.database, Patient) == 1
    assert count(stored.database, AuditEvent, AuditEvent.action == "appointment.booked") == 1
    reused = stored.book(other_slot, patient["id"], key="order-42")
    assert reused.status_code == 422 and "Idempotency-Key" in outcome_of(reused)
    # Without a key every POST is a new attempt: here, refused because the slot is taken.
    assert stored.book(slot_id, patient["id"]).status_code == 409


def test_the_same_key_from_another_client_is_another_booking(api: Api) -> None:
    patient = api.create_patient()
    slot_id, other_slot, _ = first_free(api)
    assert api.book(slot_id, patient["id"], key="1").status_code == 201
    api.staff = create_token(api.database, "agenda-mairie", "staff")
    second = api.book(other_slot, patient["id"], key="1")
    assert second.status_code == 201 and second.json["slot"][0]["reference"] == f"Slot/{other_slot}"


def test_cancelling_frees_the_slot(stored: Api) -> None:
    patient = stored.create_patient()
    slot_id = first_free(stored)[0]
    appointment = stored.book(slot_id, patient["id"]).json
    patch = json.dumps([{"op": "replace", "path": "/status", "value": "cancelled"}])
    path = f"/fhir/Appointment/{appointment['id']}"
    cancelled = stored.call("PATCH", path, data=patch, content_type="application/json-patch+json")
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert first_free(stored)[0] == slot_id
    assert stored.call("GET", path, token="doctor").json["status"] == "cancelled"
    twice = stored.call("PATCH", path, data=patch, content_type="application/json-patch+json")
    assert twice.status_code == 200
    with stored.database.read() as db:
        actions = [(a.actor, a.action) for a in db.scalars(select(AuditEvent)).all()]
    assert actions.count(("api:agenda-pharmacie", "appointment.cancelled")) == 1
    assert stored.book(slot_id, patient["id"]).status_code == 201  # bookable again


def test_a_past_appointment_cannot_be_cancelled(api: Api, clock: time_machine.Traveller) -> None:
    patient = api.create_patient()
    appointment = api.book(first_free(api)[0], patient["id"]).json
    clock.shift(60 * 60 * 24 * 3)
    patch = json.dumps([{"op": "replace", "path": "/status", "value": "cancelled"}])
    response = api.call(
        "PATCH",
        f"/fhir/Appointment/{appointment['id']}",
        data=patch,
        content_type="application/json-patch+json",
    )
    assert response.status_code == 409 and "no longer be cancelled" in outcome_of(response)


# Bad input ------------------------------------------------------------------------------

PATIENT_MISTAKES = [
    (
        patient_body(identifier=[{"system": NIR_SYSTEM, "value": "253072B07300471"}]),
        "NIR is not right",
    ),
    (patient_body(identifier=[{"system": NIR_SYSTEM, "value": "25307"}]), "NIR is not right"),
    (patient_body(identifier=[{"system": "urn:oid:1.2.3", "value": "X"}]), "only the INS-NIR"),
    (patient_body(identifier=[{"system": NIR_SYSTEM, "value": NIR}] * 2), "one NIR at most"),
    (patient_body(name=None), "Patient.name is required"),
    (patient_body(name=[{"family": "Durand"}]), "needs both family and given"),
    (patient_body(name=[{"family": "Dur4nd", "given": ["Jeanne"]}]), "name[0].family"),
    (patient_body(name=[{"family": "Durand", "given": ["J" * 41]}]), "name[0].given"),
    (patient_body(birthDate=None), "full date"),
    (patient_body(birthDate="1953"), "full date"),
    (patient_body(birthDate="1953-02-30"), "Patient.birthDate"),
    (patient_body(birthDate="2027-01-01"), "future"),
    (patient_body(birthDate="1899-01-01"), "120 years"),
    (patient_body(telecom=[{"system": "phone", "value": "12345"}]), "10 digits"),
    (patient_body(telecom=[{"system": "email", "value": "a@b.fr"}]), "only a phone"),
    (patient_body(gender="robot"), "Patient.gender"),
    (patient_body(favouriteColour="blue"), "Patient.favouriteColour"),
    ({"resourceType": "Appointment"}, "must be a Patient resource"),
    ([patient_body()], "JSON object"),
    ("Durand", "JSON object"),
]


@pytest.mark.parametrize(("body", "says"), PATIENT_MISTAKES)
def test_a_bad_patient_is_400_with_a_plain_sentence(api: Api, body: Any, says: str) -> None:
    response = api.call("POST", "/fhir/Patient", body=body)
    assert response.status_code == 400
    diagnostics = outcome_of(response)
    assert says in diagnostics
    assert NIR[:7] not in diagnostics and "253072B07300471" not in diagnostics
    assert count(api.database, Patient) == 0


APPOINTMENT_MISTAKES = [
    ({"slot": [{"reference": "Slot/99999"}]}, "no Slot has this id"),
    ({"slot": [{"reference": "Slot/99999999999999"}]}, "must be Slot/<id>"),
    ({"slot": [{"reference": "Schedule/1"}]}, "must be Slot/<id>"),
    ({"slot": None}, "exactly one Slot"),
    (
        {"participant": [{"actor": {"reference": "Patient/999"}, "status": "accepted"}]},
        "no Patient",
    ),
    ({"participant": [{"actor": {"reference": "Group/1"}, "status": "accepted"}]}, "Patient/<id>"),
    ({"participant": [{"actor": {"reference": "Patient/1"}}]}, "participant[0].status"),
    (
        {"participant": [{"actor": {"reference": "Practitioner/1"}, "status": "accepted"}]},
        "exactly one Patient",
    ),
    ({"status": "fulfilled"}, "Appointment.status"),
    ({"status": None}, "Appointment.status"),
    ({"start": "2026-12-25T09:00:00+01:00"}, "must be the Slot's"),
    ({"start": "2026-12-01T09:00:00"}, "Appointment.start"),
    ({"reasonCode": [{"text": "x" * 201}]}, "200 characters"),
    ({"resourceType": "Patient"}, "must be a Appointment resource"),
]


@pytest.mark.parametrize(("changes", "says"), APPOINTMENT_MISTAKES)
def test_a_bad_appointment_is_400_with_a_plain_sentence(
    api: Api, changes: dict[str, Any], says: str
) -> None:
    patient = api.create_patient()
    assert patient["id"] == "1"  # the mistakes above name Patient/1 where they need a real one
    response = api.book(first_free(api)[0], patient["id"], **changes)
    assert response.status_code == 400
    assert says in outcome_of(response)
    assert count(api.database, Appointment) == 0


def test_a_practitioner_who_does_not_hold_the_slot_is_400(api: Api) -> None:
    patient = api.create_patient()
    slot_id = first_free(api, "status=free&schedule=1&_count=1")[0]
    participants = [
        {"actor": {"reference": f"Patient/{patient['id']}"}, "status": "accepted"},
        {"actor": {"reference": "Practitioner/2"}, "status": "accepted"},
    ]
    response = api.book(slot_id, patient["id"], participant=participants)
    assert response.status_code == 400 and "does not hold this Slot" in outcome_of(response)
    participants[1]["actor"]["reference"] = "Practitioner/1"
    assert api.book(slot_id, patient["id"], participant=participants).status_code == 201


@pytest.mark.parametrize(
    ("data", "content_type", "status", "says"),
    [
        (b"{", "application/fhir+json", 400, "not valid JSON"),
        (b"\xff\xfe", "application/fhir+json", 400, "not valid JSON"),
        (b'{"resourceType": NaN}', "application/json", 400, "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "application/fhir+json", 400, "not valid JSON"),
        (
            b"resourceType=Patient",
            "application/x-www-form-urlencoded",
            415,
            "application/fhir+json",
        ),
        (b"{}", "text/plain", 415, "application/fhir+json"),
        (b" " * (3 * 1024 * 1024), "application/fhir+json", 413, "too large"),
    ],
)
def test_a_body_that_is_not_fhir_json_is_refused(
    api: Api, data: bytes, content_type: str, status: int, says: str
) -> None:
    for path in ("/fhir/Patient", "/fhir/Appointment"):
        response = api.call("POST", path, data=data, content_type=content_type)
        assert response.status_code == status and says in outcome_of(response)


@pytest.mark.parametrize(
    "patch",
    [
        [{"op": "replace", "path": "/status", "value": "booked"}],
        [{"op": "remove", "path": "/status"}],
        [{"op": "replace", "path": "/start", "value": "2026-12-01T10:00:00Z"}],
        {"status": "cancelled"},
        [],
    ],
)
def test_any_other_patch_is_400(api: Api, patch: Any) -> None:
    patient = api.create_patient()
    appointment = api.book(first_free(api)[0], patient["id"]).json
    response = api.call(
        "PATCH",
        f"/fhir/Appointment/{appointment['id']}",
        data=json.dumps(patch),
        content_type="application/json-patch+json",
    )
    assert response.status_code == 400 and "JSON Patch" in outcome_of(response)
    assert api.call("GET", f"/fhir/Appointment/{appointment['id']}").json["status"] == "booked"


def test_a_bad_idempotency_key_is_400(api: Api) -> None:
    patient = api.create_patient()
    response = api.book(first_free(api)[0], patient["id"], key="a key with spaces")
    assert response.status_code == 400 and "Idempotency-Key" in outcome_of(response)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/fhir/Appointment/999", 404),
        ("GET", "/fhir/Appointment/abc", 404),
        ("GET", "/fhir/Patient/0", 404),
        ("GET", "/fhir/Patient/99999999999999999999", 404),
        ("GET", "/fhir/Slot/-1", 404),
        ("GET", "/fhir/Observation/1", 403),  # a staff token reads no health value
        ("GET", "/fhir/", 404),
        ("DELETE", "/fhir/Appointment/1", 405),
        ("DELETE", "/fhir/Patient/1", 405),
        ("POST", "/fhir/Slot", 405),
    ],
)
def test_unknown_resources_and_methods_answer_in_fhir(
    api: Api, method: str, path: str, status: int
) -> None:
    response = api.call(method, path)
    assert response.status_code == status
    outcome_of(response)
    if status == 405:
        assert response.headers["Allow"]


def test_answers_are_never_cached_and_set_no_cookie(api: Api) -> None:
    for response in (
        api.call("GET", "/fhir/Slot?_count=1"),
        api.call("GET", "/fhir/metadata", token=None),
    ):
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers


# Privacy --------------------------------------------------------------------------------


def test_no_name_nir_phone_or_reason_reaches_the_logs_or_the_audit_journal(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    patient = api.create_patient()
    api.call(
        "POST",
        "/fhir/Patient",
        body=patient_body(identifier=[{"system": NIR_SYSTEM, "value": "253072B07300471"}]),
    )
    appointment = api.book(first_free(api)[0], patient["id"]).json
    api.call("GET", f"/fhir/Appointment/{appointment['id']}", token="doctor")
    api.call("GET", f"/fhir/Patient/{patient['id']}", token="doctor")
    api.call("GET", "/fhir/Slot", token="kiosk_" + "z" * 43)
    # Searches with a NIR or a name in them, a refused one, and a change of status.
    api.call("GET", f"/fhir/Patient?identifier={NIR}", token="doctor")
    api.call("POST", "/fhir/Patient/_search", data={"family": "Durand", "birthdate": "1953-07-15"})
    api.call("GET", "/fhir/Patient?identifier=253072B07300471")
    api.call("GET", "/fhir/Appointment?_include=Appointment:patient", token="doctor")
    api.set_status(appointment["id"], "checked-in")
    with api.database.read() as db:
        journal = [(a.actor, a.action, a.subject_ref) for a in db.scalars(select(AuditEvent))]
    written = caplog.text + repr(journal)
    for secret in (
        "DURAND",
        "Durand",
        "JEANNE",
        NIR,
        "253072B07300471",
        "0612345678",
        "fièvre",
        api.staff,
        "z" * 43,
    ):
        assert secret not in written
    assert {actor for actor, _action, _ref in journal} == {"api:agenda-pharmacie", "api:dr-martin"}


# The race: one booking per slot, whatever the database ----------------------------------


def _racer(
    url: str, key_file: str, slot_id: int, patient_id: int, index: int, start, results
) -> None:
    database = Database(url)
    try:
        booking_outcome(lambda: writes.book_for_patient(
            database,
            Vault(Path(key_file)),
            slot_id=slot_id,
            patient_id=patient_id,
            clinical=Clinical("fièvre"),
            idempotency_key=f"racer-{index}",
            actor=f"api:racer-{index}",
            now=NOW,
        ), start, results)
    finally:
        database.dispose()


def test_sixteen_processes_racing_through_the_api_booking_make_one_booking(
    stored: Api, database_url: str
) -> None:
    patient = stored.create_patient()
    slot_id = first_free(stored)[0]
    vault = get_vault(stored.client.application)
    stored.database.dispose()
    outcomes = race(_racer, database_url, str(vault.key_file), slot_id, int(patient["id"]))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["booked"] + ["taken"] * (RACERS - 1), outcomes
    assert count(stored.database, Appointment) == 1 and count(stored.database, Patient) == 1
    assert count(stored.database, AuditEvent, AuditEvent.action == "appointment.booked") == 1
    assert stored.slots("status=busy").entry[0].resource.id == str(slot_id)


def _killed_mid_booking(url: str, key_file: str, slot_id: int, patient_id: int, ready) -> None:
    def stop_here() -> None:
        ready.set()
        signal.pause()  # wait here, inside the transaction, for kill -9

    writes.between_inserts = stop_here
    writes.book_for_patient(
        Database(url),
        Vault(Path(key_file)),
        slot_id=slot_id,
        patient_id=patient_id,
        clinical=Clinical("fièvre"),
        idempotency_key="killed",
        actor="api:killed",
        now=NOW,
    )


def test_kill_9_between_the_appointment_and_its_audit_row_leaves_nothing(
    stored: Api, database_url: str
) -> None:
    patient = stored.create_patient()
    slot_id = first_free(stored)[0]
    vault = get_vault(stored.client.application)
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    writer = context.Process(
        target=_killed_mid_booking,
        args=(database_url, str(vault.key_file), slot_id, int(patient["id"]), ready),
    )
    writer.start()
    assert ready.wait(timeout=60), "the writer never reached the point between the inserts"
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=10)
    assert writer.exitcode == -signal.SIGKILL
    assert count(stored.database, Appointment) == 0
    assert count(stored.database, AuditEvent, AuditEvent.action == "appointment.booked") == 0
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert stored.book(slot_id, patient["id"]).status_code == 201  # the next writer succeeds


# Property: nothing a client sends makes the server fail ---------------------------------

FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,  # the pytest timeout bounds the run; wall-clock limits flake under load
    database=None,  # leave no .hypothesis directory behind
    derandomize=True,  # the same examples on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        ["Patient/1", "Slot/1", "Slot/3", NIR, "1953-07-15", "2026-11-30T09:30:00+01:00"]
    )
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a good value, sometimes a bad one, so most bodies get past the first checks."""
    return st.sampled_from([True, True, True, True, False]).flatmap(lambda ok: good if ok else bad)


# Bodies shaped like the resources, with wrong parts here and there, reach the deeper checks.
names = mostly(st.sampled_from(["Durand", "Lefèvre", "N'Diaye", "Anne-Marie"]), scalars)
patients = st.fixed_dictionaries(
    {"resourceType": mostly(st.just("Patient"), scalars)},
    optional={
        "name": mostly(
            st.lists(
                st.fixed_dictionaries(
                    {"family": names, "given": mostly(st.lists(names, max_size=2), json_values)},
                    optional={"use": mostly(st.just("official"), scalars)},
                ),
                min_size=1,
                max_size=2,
            ),
            json_values,
        ),
        "birthDate": mostly(
            st.dates(date(1906, 1, 1), date(2026, 11, 29)).map(date.isoformat), scalars
        ),
        "gender": mostly(st.sampled_from(["female", "male", "other"]), scalars),
        "identifier": st.lists(
            st.fixed_dictionaries(
                {
                    "system": mostly(st.just(NIR_SYSTEM), scalars),
                    "value": mostly(st.sampled_from([NIR, OTHER_NIR, "253072B07300471"]), scalars),
                }
            ),
            max_size=2,
        ),
        "telecom": st.lists(
            st.fixed_dictionaries(
                {
                    "system": mostly(st.just("phone"), scalars),
                    "value": mostly(st.sampled_from(["0612345678", "+33612345678"]), scalars),
                }
            ),
            max_size=2,
        ),
    },
)
ids = mostly(st.integers(1, 60).map(str), st.integers(-5, 2**66).map(str) | st.text(max_size=12))
participant = st.sampled_from(["Patient/", "Practitioner/", "Group/"]).flatmap(
    lambda kind: st.fixed_dictionaries(
        {
            "actor": st.fixed_dictionaries({"reference": ids.map(kind.__add__)}),
            "status": mostly(st.just("accepted"), scalars),
        }
    )
)
the_patient = st.fixed_dictionaries(
    {
        "actor": st.fixed_dictionaries({"reference": ids.map("Patient/".__add__)}),
        "status": st.just("accepted"),
    }
)
appointments = st.fixed_dictionaries(
    {
        "resourceType": mostly(st.just("Appointment"), scalars),
        "status": mostly(st.sampled_from(["booked", "proposed"]), scalars),
        "slot": mostly(
            st.lists(
                st.fixed_dictionaries({"reference": ids.map("Slot/".__add__)}),
                min_size=1,
                max_size=1,
            ),
            json_values,
        ),
        "participant": mostly(
            st.tuples(the_patient, st.lists(participant, max_size=1)).map(lambda p: [p[0], *p[1]]),
            st.lists(participant, max_size=3),
        ),
    },
    optional={
        "start": mostly(st.just("2026-11-30T10:00:00+01:00"), scalars),
        "reasonCode": mostly(
            st.lists(st.fixed_dictionaries({"text": st.text(max_size=250)}), max_size=2),
            json_values,
        ),
    },
)
# What an HTTP client can put in a header value: printable ASCII (no newline).
HEADER_SAFE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
requests = st.one_of(
    st.tuples(st.just("/fhir/Patient"), patients),
    st.tuples(st.just("/fhir/Appointment"), appointments),
    st.tuples(st.sampled_from(["/fhir/Patient", "/fhir/Appointment"]), json_values),
)


@FUZZ
@given(request=requests, key=st.none() | st.text(HEADER_SAFE, max_size=10))
def test_no_body_posted_to_the_api_makes_it_fail(
    api: Api, request: tuple[str, Any], key: str | None
) -> None:
    path, body = request
    headers = {"Idempotency-Key": key} if key is not None else {}
    try:
        data = json.dumps(body)
    except ValueError:
        return  # not representable as JSON: the client could not send it either
    response = api.call(
        "POST", path, data=data, content_type="application/fhir+json", headers=headers
    )
    assert response.status_code in (201, 400, 409, 422), response.json
    if response.status_code >= 400:
        outcome_of(response)


@FUZZ
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(["status", "start", "schedule", "_count", "_offset", "x"]),
            st.text(max_size=30),
        ),
        max_size=4,
    )
)
def test_no_slot_search_makes_the_api_fail(api: Api, params: list[tuple[str, str]]) -> None:
    response = api.client.get(
        "/fhir/Slot", query_string=params, headers={"Authorization": f"Bearer {api.staff}"}
    )
    assert response.status_code in (200, 400), response.json
    if response.status_code == 200:
        Bundle.model_validate(response.json)
