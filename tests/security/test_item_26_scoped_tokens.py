"""SECURITY.md item 26 (and issue 15 item 3): API tokens are scoped.

A doctor's token is bound to one practitioner and reaches only that doctor's appointments,
their patients and the readings kept for them: anything else answers 404, resource by resource
and search by search, across two doctors (Dr Martin and Dr Benali). Staff tokens get no NIR, no
reason for a visit and no reading. A doctor token made before tokens were bound reaches
nothing. (Sites come with the central server: the "two sites" half of item 26 is tested there.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir_support import (
    NIR,
    NIR_SYSTEM,
    NOW,
    OTHER_NIR,
    Api,
    first_free,
    ids,
    outcome_of,
    practitioner_id,
)
from flask import Flask
from sqlalchemy import func, select

from kiosk.core.db import get_db
from kiosk.core.records import ApiToken, Measurement
from kiosk.security.tokens import hash_token, token_group
from kiosk.security.vault import get_vault
from kiosk.vitals.measurements import Result, save

REASON = "fièvre depuis trois jours"


def appointment_with(api: Api, surname: str, **patient: Any) -> dict[str, str]:
    """A patient booked with Dr ``surname`` today, with a reading kept for the appointment."""
    person = api.create_patient(**patient)
    doctor = practitioner_id(api.database, surname)
    slot = first_free(api, f"status=free&schedule={doctor}&start=ge2026-11-30T09:00:00Z")[0]
    booked = api.book(slot, person["id"]).json
    reading = save(api.database, get_vault(api.client.application), session_ref="visit",
                   result=Result(150, 95, 70, ((150, 95, 70),)),
                   appointment_id=int(booked["id"]), taken_at=NOW)
    return {"patient": person["id"], "appointment": booked["id"], "reading": str(reading),
            "code": booked["identifier"][0]["value"], "doctor": str(doctor)}


@pytest.fixture
def two_doctors(stored: Api) -> tuple[Api, dict[str, str], dict[str, str]]:
    """Jeanne is Dr Martin's patient, Paul is Dr Benali's; each has a reading."""
    jeanne = appointment_with(stored, "Martin")
    paul = appointment_with(
        stored, "Benali", name=[{"family": "Lefèvre", "given": ["Paul"]}],
        birthDate="1941-03-15", identifier=[{"system": NIR_SYSTEM, "value": OTHER_NIR}],
    )
    return stored, jeanne, paul


CASES = [("doctor", "jeanne", "paul"), ("benali", "paul", "jeanne")]


def _people(two: tuple[Api, dict[str, str], dict[str, str]], own: str, other: str
            ) -> tuple[Api, dict[str, str], dict[str, str]]:
    api, jeanne, paul = two
    people = {"jeanne": jeanne, "paul": paul}
    return api, people[own], people[other]


KINDS = {"Appointment": "appointment", "Patient": "patient", "Observation": "reading"}


@pytest.mark.parametrize(("token", "own", "other"), CASES)
def test_item_26_a_doctor_reads_their_own_records_and_gets_404_for_the_other_doctors(
    two_doctors: tuple[Api, dict[str, str], dict[str, str]], token: str, own: str, other: str
) -> None:
    api, mine, theirs = _people(two_doctors, own, other)
    for kind, key in KINDS.items():
        assert api.call("GET", f"/fhir/{kind}/{mine[key]}", token=token).status_code == 200
        refused = api.call("GET", f"/fhir/{kind}/{theirs[key]}", token=token)
        unknown = api.call("GET", f"/fhir/{kind}/99999", token=token)
        assert refused.status_code == unknown.status_code == 404, kind
        assert outcome_of(refused) == outcome_of(unknown)  # the same answer as for no record


SEARCHES = [
    "Appointment",
    "Appointment?date=2026-11-30",
    "Appointment?status=booked",
    "Appointment?practitioner={doctor}",
    "Appointment?patient=Patient/{patient}",
    "Appointment?identifier=urn:kiosk:booking-code|{code}",
    "Appointment?_include=Appointment:patient",
    "Patient?identifier={nir}",
    "Patient?family={family}&birthdate={born}",
    "Observation",
    "Observation?patient={patient}&code=85354-9&date=2026-11-30",
    "Observation?_include=Observation:patient",
]


@pytest.mark.parametrize(("token", "own", "other"), CASES)
def test_item_26_each_search_finds_the_doctors_own_records_only(
    two_doctors: tuple[Api, dict[str, str], dict[str, str]], token: str, own: str, other: str
) -> None:
    api, mine, theirs = _people(two_doctors, own, other)
    facts = {"jeanne": {"nir": NIR, "family": "durand", "born": "1953-07-15"},
             "paul": {"nir": OTHER_NIR, "family": "lefevre", "born": "1941-03-15"}}
    for search in SEARCHES:
        kind = search.split("?")[0]
        # The same search, once with this doctor's patient's details, once with the other's.
        found = [api.search(search.format(**mine, **facts[own]), token=token),
                 api.search(search.format(**theirs, **facts[other]), token=token)]
        reached = {(e.resource.get_resource_type(), e.resource.id)
                   for bundle in found for e in bundle.entry or []}
        assert (kind, mine[KINDS[kind]]) in reached, search
        assert (kind, theirs[KINDS[kind]]) not in reached, search
        assert ("Patient", theirs["patient"]) not in reached, search  # nor through _include
        assert found[1].total == (len(ids(found[1])) if "{" not in search else 0), search


def test_item_26_a_doctor_finds_a_patient_only_through_an_appointment_with_them(
    two_doctors: tuple[Api, dict[str, str], dict[str, str]],
) -> None:
    api, jeanne, paul = two_doctors
    assert ids(api.search(f"Patient?identifier={OTHER_NIR}", token="benali")) == [paul["patient"]]
    assert api.search(f"Patient?identifier={OTHER_NIR}", token="doctor").total == 0
    # Once Paul books with Dr Martin too, Dr Martin reaches him and that appointment only.
    martin = practitioner_id(api.database, "Martin")
    slot = first_free(api, f"status=free&schedule={martin}&start=ge2026-12-01")[0]
    second = api.book(slot, paul["patient"]).json["id"]
    assert ids(api.search(f"Patient?identifier={OTHER_NIR}", token="doctor")) == [paul["patient"]]
    assert ids(api.search(f"Appointment?patient={paul['patient']}", token="doctor")) == [second]
    assert api.call("GET", f"/fhir/Observation/{paul['reading']}",
                    token="doctor").status_code == 404


def test_item_26_staff_tokens_get_no_nir_no_reason_and_no_reading(
    two_doctors: tuple[Api, dict[str, str], dict[str, str]],
) -> None:
    api, jeanne, _paul = two_doctors
    answers = [
        api.call("GET", f"/fhir/Patient/{jeanne['patient']}"),
        api.call("GET", f"/fhir/Appointment/{jeanne['appointment']}"),
        api.call("GET", f"/fhir/Patient?identifier={NIR}"),
        api.call("GET", "/fhir/Appointment?_include=Appointment:patient"),
    ]
    resources = []
    for answer in answers:
        body = answer.json
        resources += [e["resource"] for e in body.get("entry", [])] if "entry" in body else [body]
    # (A search's self link repeats what the client sent, NIR included: nothing it did not have.)
    assert NIR not in json.dumps(resources)
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Patient") == 4 and kinds.count("Appointment") == 3
    for resource in resources:
        if resource["resourceType"] == "Patient":
            assert "identifier" not in resource
            assert resource["meta"]["security"][0]["code"] == "REDACTED"
        else:
            assert "reasonCode" not in resource
    for path in (f"/fhir/Observation/{jeanne['reading']}", "/fhir/Observation",
                 f"/fhir/Observation?patient={jeanne['patient']}"):
        refused = api.call("GET", path)
        assert refused.status_code == 403 and "staff token may not" in outcome_of(refused)
    # The doctor of the appointment sees both.
    as_doctor = api.call("GET", f"/fhir/Appointment/{jeanne['appointment']}", token="doctor")
    assert as_doctor.json["reasonCode"] == [{"text": REASON}]


@pytest.mark.parametrize(
    "path",
    ["/fhir/Slot", "/fhir/Patient/1", "/fhir/Appointment", "/fhir/Appointment/1",
     "/fhir/Observation", "/fhir/Practitioner"],
)
def test_item_26_a_doctor_token_made_before_binding_reaches_nothing(
    stored: Api, path: str
) -> None:
    token = "kiosk_" + "u" * 43
    with stored.database.write() as db:  # as migration 0008 leaves a doctor token made before it
        db.add(ApiToken(name="dr-old", role="doctor", token_hash=hash_token(token),
                        created_at=NOW))
    refused = stored.call("GET", path, token=token)
    assert refused.status_code == 403
    assert "names no practitioner" in outcome_of(refused)
    assert "kiosk token create --role doctor --practitioner" in outcome_of(refused)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--role", "doctor"], "needs --practitioner"),
        (["--role", "staff", "--practitioner", "1"], "a staff token takes none"),
        (["--role", "doctor", "--practitioner", "10009999999"], "no practitioner has"),
        (["--role", "doctor", "--practitioner", "dr-martin"], "RPPS number (11 digits) or by id"),
    ],
)
def test_item_26_kiosk_token_create_binds_a_doctor_token_or_refuses(
    seeded: Flask, args: list[str], says: str
) -> None:
    result = seeded.test_cli_runner().invoke(token_group, ["create", "--name", "x", *args])
    assert result.exit_code != 0 and says in result.output
    with get_db(seeded).read() as db:
        assert db.scalar(select(func.count()).select_from(ApiToken)) == 0
    bound = seeded.test_cli_runner().invoke(
        token_group, ["create", "--name", "dr", "--role", "doctor", "--practitioner", "2"])
    assert bound.exit_code == 0 and "for practitioner 2" in bound.output
    with get_db(seeded).read() as db:
        assert db.scalar(select(ApiToken.practitioner_id)) == 2
        assert db.scalar(select(func.count()).select_from(Measurement)) == 0
