"""FHIR mapping without HTTP: records to R4 resources, search values, references, error texts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B.patient import Patient as FhirPatient
from flask import Flask
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from kiosk.core.records import Appointment, Patient, Practitioner, Slot
from kiosk.fhir import resources
from kiosk.fhir.bp_panel import IRREGULAR_NOTE, observation_resource, reading
from kiosk.fhir.outcome import Invalid
from kiosk.fhir.params import starts_a_word, token
from kiosk.fhir.parse import describe, parse_id, parse_reference, patient_entry
from kiosk.fhir.search import slot_query
from kiosk.vitals.measurements import Result

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
        version=4,
    )
    resource = resources.appointment_resource(appointment, PARIS, reason="Fièvre")
    data = resource.model_dump(mode="json", exclude_none=True)
    assert data["meta"] == {"versionId": "4"}  # what a client sends back in If-Match
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


def test_a_practitioner_carries_the_rpps_number_and_the_national_id_made_from_it() -> None:
    doctor = Practitioner(id=3, surname="Lefèvre", first_name="Anne", active=True,
                          rpps="10003847562")
    data = resources.practitioner_resource(doctor).model_dump(mode="json", exclude_none=True)
    assert [(i["system"], i["value"]) for i in data["identifier"]] == [
        ("https://rpps.esante.gouv.fr", "10003847562"),
        ("urn:oid:1.2.250.1.71.4.2.1", "810003847562"),
    ]
    unknown = Practitioner(id=4, surname="Martin", first_name="Claire", active=True)
    assert resources.practitioner_resource(unknown).identifier is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a|b", ("a", "b")), ("|b", ("", "b")), ("b", (None, "b")), ("a|b|c", ("a", "b|c"))],
)
def test_a_token_is_system_and_code(text: str, expected: tuple[str | None, str]) -> None:
    assert token(text) == expected


@pytest.mark.parametrize(
    ("wanted", "texts", "found"),
    [
        ("lefev", ("LEFÈVRE",), True),
        ("ÉLO", ("Eloïse",), True),
        ("diaye", ("N'DIAYE",), True),  # a word after an apostrophe
        ("marie", ("ANNE-MARIE",), True),  # a word after a hyphen
        ("tin", ("MARTIN",), False),  # not the middle of a word
        ("jean marie", ("JEAN  MARIE",), True),
    ],
)
def test_strings_match_the_start_of_a_word_without_case_or_accents(
    wanted: str, texts: tuple[str, ...], found: bool
) -> None:
    assert starts_a_word(wanted, *texts) is found


def test_a_kiosk_result_becomes_an_observation_and_reads_back_the_same() -> None:
    result = Result(142, 88, 76, ((142, 88, 76),), irregular=True)
    taken = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)
    built = observation_resource(result, taken, PARIS, patient_id=9, resource_id=3)
    assert str(built.effectiveDateTime) == "2026-11-30 09:05:00+01:00"
    assert built.note[0].text == IRREGULAR_NOTE
    back = reading(built, taken)
    assert (back.patient_id, back.taken_at, back.result) == (9, taken, result)
    # Without a pulse from the cuff, no heart-rate component (never a rate of 0).
    quiet = observation_resource(Result(120, 80, 0, ((120, 80, 0),)), taken)
    assert [c.code.coding[0].code for c in quiet.component] == ["8480-6", "8462-4"]
    with pytest.raises(Invalid, match="subject.reference must be Patient"):
        reading(quiet, taken)  # no subject: whose reading would it be?
