"""FHIR mapping without HTTP: records to R4 resources, search values, references, error texts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B.patient import Patient as FhirPatient
from flask import Flask
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from kiosk.fhir import resources
from kiosk.fhir.outcome import Invalid
from kiosk.fhir.parse import describe, parse_id, parse_reference, patient_entry
from kiosk.fhir.search import slot_query
from kiosk.models import Appointment, Patient, Practitioner, Slot

PARIS = ZoneInfo("Europe/Paris")
NIR = "295109912611193"


def test_an_appointment_becomes_a_valid_r4_appointment() -> None:
    doctor = Practitioner(id=3, surname="Lefèvre", first_name="Anne", active=True)
    slot = Slot(
        id=12,
        practitioner_id=3,
        practitioner=doctor,
        starts_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 12, 15, tzinfo=UTC),
    )
    appointment = Appointment(
        id=5,
        code="K7MX2P",
        slot=slot,
        slot_id=12,
        patient_id=9,
        status="checked-in",
        created_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
    )
    resource = resources.appointment_resource(appointment, PARIS, reason="Fièvre")
    data = resource.model_dump(mode="json", exclude_none=True)
    assert data["start"] == "2026-12-01T13:00:00+01:00" and data["minutesDuration"] == 15
    assert data["status"] == "checked-in"
    assert data["identifier"] == [{"system": resources.CODE_SYSTEM, "value": "K7MX2P"}]
    assert [p["actor"]["reference"] for p in data["participant"]] == [
        "Patient/9",
        "Practitioner/3",
    ]
    assert data["participant"][1]["actor"]["display"] == "Dr Anne Lefèvre"
    assert "display" not in data["participant"][0]["actor"]  # no patient name travels
    assert data["reasonCode"] == [{"text": "Fièvre"}]


def test_a_patient_with_a_withheld_nir_is_marked_redacted() -> None:
    patient = Patient(
        id=4, surname="DURAND", first_name="JEANNE MARIE", birth_date=date(1953, 7, 15), sex="F"
    )
    shown = resources.patient_resource(patient, nir=None, phone=None, nir_withheld=True)
    assert shown.identifier is None and shown.meta.security[0].code == "REDACTED"
    assert shown.name[0].given == ["JEANNE", "MARIE"] and shown.gender == "female"
    full = resources.patient_resource(patient, nir=NIR, phone="0612345678", nir_withheld=False)
    assert full.identifier[0].system == "urn:oid:1.2.250.1.213.1.4.8" and full.meta is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("2147483647", 2**31 - 1),
        ("2147483648", None),
        ("012", None),
        ("0", None),
        ("-1", None),
        ("１２", None),  # full-width digits are digits to str.isdigit(), not to us
        ("", None),
    ],
)
def test_ids_are_plain_positive_32_bit_numbers(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


def test_references_must_be_relative_and_of_the_named_kind() -> None:
    assert parse_reference("Slot/7", "Slot") == 7
    assert parse_reference("Schedule/7", "Slot") is None
    assert parse_reference("http://other/fhir/Slot/7", "Slot") is None
    assert parse_reference(None, "Slot") is None


def test_search_dates_are_site_days_and_instants_keep_their_offset() -> None:
    query = slot_query(
        MultiDict([("start", "ge2026-03-29"), ("start", "lt2026-03-30T10:00:00 02:00")]), PARIS
    )
    (first, low, high), (second, instant, same) = query.conditions
    assert (first, low.isoformat()) == ("ge", "2026-03-29T00:00:00+01:00")
    # The day of the spring clock change is 23 hours long in Paris (Python subtracts wall
    # clocks when both sides share a zone, so compare in UTC, as the database does).
    assert (high.astimezone(UTC) - low.astimezone(UTC)).total_seconds() == 23 * 3600
    assert second == "lt" and instant == same == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert query.count == 50 and query.offset == 0 and query.statuses is None


def test_validation_errors_name_the_field_never_the_value() -> None:
    bad = {
        "resourceType": "Patient",
        "birthDate": NIR,
        "identifier": [{"system": 12, "value": int(NIR)}],
        "gender": [NIR],
        NIR: "x",
    }
    with pytest.raises(ValidationError) as caught:
        FhirPatient.model_validate(bad)
    text = describe("Patient", caught.value, limit=10)
    assert "Patient.birthDate" in text and "Patient.identifier[0].value" in text
    assert "Patient.<unknown element>" in text
    assert NIR[:9] not in text


def test_a_corsican_nir_is_accepted_and_tells_the_sex(app: Flask) -> None:
    patient = FhirPatient.model_validate(
        {
            "resourceType": "Patient",
            "name": [{"use": "usual", "family": "Santoni", "given": ["Marie"]}],
            "birthDate": "1953-07-15",
            "gender": "male",  # the NIR wins: it is what the care record holds
            "identifier": [{"system": resources.NIR_SYSTEM, "value": "2 53 07 2B 073 004 70"}],
        }
    )
    with app.test_request_context():
        entry = patient_entry(patient, date(2026, 11, 30))
        assert (entry.surname, entry.nir, entry.sex) == ("SANTONI", "253072B07300470", "F")
        with pytest.raises(Invalid, match="birthDate must not be in the future"):
            patient_entry(patient, date(1950, 1, 1))
