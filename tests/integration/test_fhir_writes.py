"""FHIR writes (issue 16): an appointment's status by PUT or JSON Patch under If-Match, the
conditional create of a Patient, and blood-pressure readings sent and read as Observations.

Versions and the race for a version run on SQLite and PostgreSQL; input checks on SQLite.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from fhir.resources.R4B.observation import Observation
from fhir_support import (
    NIR,
    NIR_SYSTEM,
    Api,
    count,
    first_free,
    ids,
    outcome_of,
    patient_body,
    practitioner_id,
)
from sqlalchemy import select

from kiosk.core.records import Appointment, AuditEvent, Measurement, Patient
from kiosk.doctor.day import set_status
from kiosk.security.vault import get_vault
from kiosk.vitals.measurements import Result, save

LOINC, UCUM = "http://loinc.org", "http://unitsofmeasure.org"


def booking(api: Api) -> dict[str, Any]:
    """Jeanne's appointment with Dr Martin, Monday 9:15 (version 1)."""
    patient = api.create_patient()
    response = api.book(first_free(api)[0], patient["id"])
    assert response.status_code == 201 and response.json["meta"]["versionId"] == "1"
    return response.json  # type: ignore[no-any-return]


def stored_status(api: Api, appointment_id: str) -> tuple[str, int]:
    with api.database.read() as db:
        row = db.get(Appointment, int(appointment_id))
        return row.status, row.version  # type: ignore[union-attr]


def actions(api: Api) -> list[str]:
    with api.database.read() as db:
        return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# Status and versions ---------------------------------------------------------------------


def test_the_status_changes_by_json_patch_and_each_change_is_a_new_version(stored: Api) -> None:
    appointment = booking(stored)
    path = f"/fhir/Appointment/{appointment['id']}"
    read = stored.call("GET", path)
    assert read.headers["ETag"] == 'W/"1"'
    for version, status in enumerate(("checked-in", "arrived", "fulfilled", "noshow"), start=1):
        changed = stored.set_status(appointment["id"], status, version=str(version))
        assert changed.status_code == 200, changed.json
        assert changed.json["status"] == status
        assert changed.json["meta"]["versionId"] == str(version + 1)
        assert changed.headers["ETag"] == f'W/"{version + 1}"'
    assert stored_status(stored, appointment["id"]) == ("noshow", 5)
    assert actions(stored)[-4:] == [
        "appointment.checked-in", "appointment.arrived", "appointment.fulfilled",
        "appointment.noshow",
    ]
    # The same status again is reached already: 200, and nothing changes or is journaled.
    again = stored.set_status(appointment["id"], "noshow")
    assert again.status_code == 200 and again.json["meta"]["versionId"] == "5"
    assert actions(stored)[-1] == "appointment.noshow" and len(actions(stored)) == 7


def test_a_stale_if_match_is_412_and_changes_nothing(stored: Api) -> None:
    appointment = booking(stored)
    assert stored.set_status(appointment["id"], "checked-in", version="1").status_code == 200
    stale = stored.set_status(appointment["id"], "cancelled", version="1")
    assert stale.status_code == 412 and "has changed since that version" in outcome_of(stale)
    assert stored_status(stored, appointment["id"]) == ("checked-in", 2)
    assert first_free(stored)[0] != appointment["slot"][0]["reference"].split("/")[1]
    right = stored.set_status(appointment["id"], "cancelled", version="2")
    assert right.status_code == 200 and right.json["status"] == "cancelled"
    assert int(appointment["slot"][0]["reference"].split("/")[1]) == first_free(stored)[0]


def test_a_change_made_at_the_kiosk_or_by_the_doctor_makes_an_api_client_read_again(
    api: Api,
) -> None:
    appointment = booking(api)
    martin = practitioner_id(api.database, "Martin")
    set_status(api.database, int(appointment["id"]), martin, "fulfilled", "account:2",
               datetime.now(UTC))
    assert stored_status(api, appointment["id"]) == ("fulfilled", 2)
    stale = api.set_status(appointment["id"], "noshow", version="1")
    assert stale.status_code == 412
    assert api.call("GET", f"/fhir/Appointment/{appointment['id']}").headers["ETag"] == 'W/"2"'


def test_the_whole_appointment_is_put_back_with_a_new_status(api: Api) -> None:
    appointment = booking(api)
    path = f"/fhir/Appointment/{appointment['id']}"
    sent = {**appointment, "status": "checked-in"}
    checked_in = api.call("PUT", path, body=sent, headers={"If-Match": 'W/"1"'})
    assert checked_in.status_code == 200 and checked_in.json["status"] == "checked-in"
    assert checked_in.json["meta"]["versionId"] == "2"
    stale = api.call("PUT", path, body={**appointment, "status": "cancelled"},
                     headers={"If-Match": 'W/"1"'})
    assert stale.status_code == 412
    # Without If-Match the client takes its chance: the change is made.
    cancelled = api.call("PUT", path, body={**checked_in.json, "status": "cancelled"})
    assert cancelled.status_code == 200
    assert stored_status(api, appointment["id"]) == ("cancelled", 3)


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"slot": [{"reference": "Slot/40"}]}, 422, "Only Appointment.status can change"),
        ({"participant": [{"actor": {"reference": "Patient/99"}, "status": "accepted"}]}, 422,
         "Only Appointment.status can change"),
        ({"start": "2026-12-01T10:00:00+01:00"}, 422, "Only Appointment.status can change"),
        ({"identifier": [{"system": "urn:kiosk:booking-code", "value": "AAAAAA"}]}, 422,
         "Only Appointment.status can change"),
        ({"id": "999"}, 400, "Appointment.id must be the id in the URL"),
        ({"status": "booked"}, 400, "may only become one of"),
        ({"status": "waitlist"}, 400, "may only become one of"),
    ],
)
def test_a_put_that_changes_more_than_the_status_is_refused(
    api: Api, change: dict[str, Any], status: int, says: str
) -> None:
    appointment = booking(api)
    response = api.call("PUT", f"/fhir/Appointment/{appointment['id']}",
                        body={**appointment, **change, "status": change.get("status", "arrived")})
    assert response.status_code == status and says in outcome_of(response)
    assert stored_status(api, appointment["id"]) == ("booked", 1)


@pytest.mark.parametrize(
    ("first", "then", "says"),
    [
        ("cancelled", "checked-in", "This appointment is cancelled: it cannot become checked-in"),
        ("fulfilled", "arrived", "This appointment is fulfilled: it cannot become arrived"),
        ("fulfilled", "cancelled", "can no longer be cancelled"),
    ],
)
def test_an_impossible_change_is_409(api: Api, first: str, then: str, says: str) -> None:
    appointment = booking(api)
    assert api.set_status(appointment["id"], first).status_code == 200
    refused = api.set_status(appointment["id"], then)
    assert refused.status_code == 409 and says in outcome_of(refused)


@pytest.mark.parametrize("header", ['"abc"', "W/3", 'W/"0"', 'W/"1", W/"2"'])
def test_a_malformed_if_match_is_400(api: Api, header: str) -> None:
    appointment = booking(api)
    patch = json.dumps([{"op": "replace", "path": "/status", "value": "arrived"}])
    response = api.call("PATCH", f"/fhir/Appointment/{appointment['id']}", data=patch,
                        content_type="application/json-patch+json", headers={"If-Match": header})
    assert response.status_code == 400 and "If-Match" in outcome_of(response)


def test_writes_refuse_a_query_string_rather_than_ignore_it(api: Api) -> None:
    # fhirpy's get_or_create sends its search as a query string: it would create a duplicate.
    response = api.call("POST", f"/fhir/Patient?identifier={NIR}", body=patient_body())
    assert response.status_code == 400 and "If-None-Exist" in outcome_of(response)
    assert count(api.database, Patient) == 0


# Conditional create ------------------------------------------------------------------------


def test_a_patient_is_created_once_with_if_none_exist(stored: Api) -> None:
    condition = {"If-None-Exist": f"identifier={NIR_SYSTEM}|{NIR}"}
    first = stored.call("POST", "/fhir/Patient", body=patient_body(), headers=condition)
    assert first.status_code == 201
    again = stored.call("POST", "/fhir/Patient", body=patient_body(), headers=condition)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert "identifier" not in again.json  # still a staff token: the NIR is withheld
    assert count(stored.database, Patient) == 1
    assert actions(stored) == ["patient.created", "patient.matched"]


def test_if_none_exist_matching_two_patients_is_412(api: Api) -> None:
    api.create_patient()
    api.create_patient()  # booked twice at the kiosk: one record per booking
    response = api.call("POST", "/fhir/Patient", body=patient_body(),
                        headers={"If-None-Exist": f"identifier={NIR}"})
    assert response.status_code == 412 and "several patients" in outcome_of(response)
    assert count(api.database, Patient) == 2


@pytest.mark.parametrize(
    ("condition", "says"), [("colour=blue", "Unsupported search parameter"),
                            ("family=durand", "family and birthdate together")],
)
def test_a_bad_if_none_exist_is_400(api: Api, condition: str, says: str) -> None:
    response = api.call("POST", "/fhir/Patient", body=patient_body(),
                        headers={"If-None-Exist": condition})
    assert response.status_code == 400 and says in outcome_of(response)
    assert count(api.database, Patient) == 0


# Readings ----------------------------------------------------------------------------------


def reading_body(patient_id: str, **changes: Any) -> dict[str, Any]:
    def component(code: str, value: Any, unit: str = "mm[Hg]") -> dict[str, Any]:
        return {"code": {"coding": [{"system": LOINC, "code": code}]},
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}

    body: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": "85354-9"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": "2026-11-30T08:55:00+01:00",
        "component": [component("8480-6", 148), component("8462-4", 92),
                      component("8867-4", 71, "/min")],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def send_reading(api: Api, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return api.call("POST", "/fhir/Observation", body=body, headers=headers)


def test_a_reading_is_sent_by_staff_and_read_by_the_doctor(stored: Api) -> None:
    appointment = booking(stored)
    patient_id = appointment["participant"][0]["actor"]["reference"].split("/")[1]
    sent = send_reading(stored, reading_body(patient_id))
    assert sent.status_code == 201, sent.json
    # Staff never get a health value back: the answer names the reading, nothing more.
    assert sent.json["resourceType"] == "OperationOutcome"
    assert "148" not in sent.get_data(as_text=True)
    location = sent.headers["Location"]
    observation_id = location.rsplit("/", 1)[1]
    assert location == f"http://localhost/fhir/Observation/{observation_id}"
    assert stored.call("GET", location, token="staff").status_code == 403
    read = Observation.model_validate(stored.call("GET", location, token="doctor").json)
    assert read.subject.reference == f"Patient/{patient_id}"
    assert str(read.effectiveDateTime) == "2026-11-30 08:55:00+01:00"
    assert [(c.code.coding[0].code, c.valueQuantity.value) for c in read.component] == [
        ("8480-6", 148), ("8462-4", 92), ("8867-4", 71),
    ]
    with stored.database.read() as db:
        row = db.scalars(select(Measurement)).one()
    assert row.appointment_id == int(appointment["id"]) and "148" not in row.values_token
    assert actions(stored)[-2:] == ["observation.created", "observation.read"]


def test_a_retried_reading_is_kept_once_and_a_reused_key_is_422(stored: Api) -> None:
    appointment = booking(stored)
    patient_id = appointment["participant"][0]["actor"]["reference"].split("/")[1]
    first = send_reading(stored, reading_body(patient_id), key="reading-1")
    retry = send_reading(stored, reading_body(patient_id), key="reading-1")
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Location"] == first.headers["Location"]
    assert count(stored.database, Measurement) == 1
    other = reading_body(patient_id, effectiveDateTime="2026-11-30T08:57:00+01:00")
    reused = send_reading(stored, other, key="reading-1")
    assert reused.status_code == 422 and "Idempotency-Key" in outcome_of(reused)
    assert count(stored.database, Measurement) == 1


def test_a_reading_without_an_appointment_that_day_is_not_kept(
    api: Api, clock: time_machine.Traveller
) -> None:
    appointment = booking(api)  # Monday
    patient_id = appointment["participant"][0]["actor"]["reference"].split("/")[1]
    clock.shift(24 * 3600)
    tuesday = reading_body(patient_id, effectiveDateTime="2026-12-01T08:55:00+01:00")
    refused = send_reading(api, tuesday)
    assert refused.status_code == 422 and "no appointment that day" in outcome_of(refused)
    nobody = send_reading(api, reading_body("999"))
    assert nobody.status_code == 400 and "no Patient has this id" in outcome_of(nobody)
    assert count(api.database, Measurement) == 0


def _components(*values: tuple[str, Any, str]) -> list[dict[str, Any]]:
    return [{"code": {"coding": [{"system": LOINC, "code": code}]},
             "valueQuantity": {"value": value, "system": UCUM, "code": unit}}
            for code, value, unit in values]


READING_MISTAKES = [
    ({"status": "preliminary"}, "status must be final"),
    ({"code": {"coding": [{"system": LOINC, "code": "8867-4"}]}}, "must be LOINC 85354-9"),
    ({"subject": {"reference": "Group/1"}}, "subject.reference must be Patient/<id>"),
    ({"subject": None}, "subject.reference must be Patient/<id>"),
    ({"effectiveDateTime": "2026-11-30"}, "with its time and offset"),
    ({"effectiveDateTime": None}, "with its time and offset"),
    ({"effectiveDateTime": "2026-11-30T10:30:00+01:00"}, "in the future"),
    ({"component": _components(("8480-6", 148, "mm[Hg]"))}, "needs the systolic"),
    ({"component": _components(("8480-6", 80, "mm[Hg]"), ("8462-4", 92, "mm[Hg]"))},
     "diastolic pressure must be below"),
    ({"component": _components(("8480-6", 400, "mm[Hg]"), ("8462-4", 92, "mm[Hg]"))},
     "whole number from 40 to 300"),
    ({"component": _components(("8480-6", 148.5, "mm[Hg]"), ("8462-4", 92, "mm[Hg]"))},
     "whole number"),
    ({"component": _components(("8480-6", 19.7, "kPa"), ("8462-4", 12.3, "kPa"))},
     "unit must be mm[Hg]"),
    ({"component": _components(("8480-6", 148, "mm[Hg]"), ("8480-6", 140, "mm[Hg]"))},
     "given twice"),
    ({"component": _components(("8480-6", 148, "mm[Hg]"), ("8462-4", 92, "mm[Hg]"),
                               ("8310-5", 37, "Cel"))}, "must be LOINC 8480-6"),
    ({"note": [{"text": "Mme Durand was anxious"}]}, "the only note kept"),
    ({"valueString": "148/92"}, "the panel has no value of its own"),
]


@pytest.mark.parametrize(("change", "says"), READING_MISTAKES)
def test_a_bad_reading_is_400_with_a_plain_sentence(
    api: Api, change: dict[str, Any], says: str
) -> None:
    appointment = booking(api)
    patient_id = appointment["participant"][0]["actor"]["reference"].split("/")[1]
    response = send_reading(api, reading_body(patient_id, **change))
    assert response.status_code == 400 and says in outcome_of(response)
    assert "Durand" not in outcome_of(response)
    assert count(api.database, Measurement) == 0


def test_a_reading_taken_at_the_kiosk_is_served_as_an_observation(api: Api) -> None:
    appointment = booking(api)
    taken = datetime(2026, 11, 30, 7, 55, tzinfo=UTC)
    measurement_id = save(api.database, get_vault(api.client.application), session_ref="visit",
                          result=Result(131, 84, 0, ((131, 84, 0),), irregular=True),
                          appointment_id=int(appointment["id"]), taken_at=taken)
    bundle = api.search("Observation?code=http://loinc.org|85354-9", token="doctor")
    assert ids(bundle) == [str(measurement_id)]
    observation = bundle.entry[0].resource
    assert str(observation.effectiveDateTime) == "2026-11-30 08:55:00+01:00"
    # No pulse from the cuff: no heart-rate component rather than a rate of 0.
    assert [c.code.coding[0].code for c in observation.component] == ["8480-6", "8462-4"]
    assert observation.note[0].text == "Irregular pulse reported by the cuff."
    # The same reading sent back through the API is understood the same way.
    sent = observation.model_dump(mode="json", exclude_none=True)
    sent.pop("id")
    assert send_reading(api, sent).status_code == 201
    assert count(api.database, Measurement) == 2
