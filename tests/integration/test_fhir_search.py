"""FHIR searches (issue 16), as an integrator finds what was booked without knowing its id.

Each search answers a ``searchset`` Bundle with ``total``, ``self`` and ``next`` links, the
``_include``s it promises, and 400 for a parameter it does not know (unless the client asks for
lenient handling). Searches that return people are journaled, one row per person.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir_support import (
    CODE_SYSTEM,
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
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from kiosk.booking.service import Clinical, Identity, book
from kiosk.core.db import get_db
from kiosk.core.records import AuditEvent, Patient
from kiosk.security.vault import get_vault

RPPS_MARTIN, RPPS_BENALI = "10001928372", "10002736451"
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
LENIENT = {"Prefer": "handling=lenient"}


def follow(api: Api, url: str) -> Bundle:
    """Open a link a Bundle gave, as a client does."""
    parts = urlsplit(url)
    return api.search(f"{parts.path.removeprefix('/fhir/')}?{parts.query}")


def link(bundle: Bundle, relation: str) -> str | None:
    return next((entry.url for entry in bundle.link or [] if entry.relation == relation), None)


def journal(api: Api) -> list[tuple[str, str, str]]:
    with api.database.read() as db:
        rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(row.actor, row.action, row.subject_ref) for row in rows]


def pseudonym(api: Api, patient_id: str) -> str:
    with api.database.read() as db:
        return db.get(Patient, int(patient_id)).pseudonym  # type: ignore[union-attr]


@pytest.fixture
def booked(api: Api) -> dict[str, Any]:
    """Jeanne with Dr Martin on Monday 9:15 and Wednesday 9:00; Paul with Dr Benali on Monday
    at 10:00."""
    jeanne = api.create_patient()
    paul = api.create_patient(
        name=[{"family": "Lefèvre", "given": ["Paul"]}], birthDate="1941-03-15",
        identifier=[{"system": NIR_SYSTEM, "value": OTHER_NIR}],
    )
    martin = practitioner_id(api.database, "Martin")
    benali = practitioner_id(api.database, "Benali")
    monday = api.book(first_free(api, f"status=free&schedule={martin}&_count=1")[0], jeanne["id"])
    wednesday = api.book(
        first_free(api, f"status=free&schedule={martin}&start=ge2026-12-02&_count=1")[0],
        jeanne["id"],
    )
    pauls = api.book(
        first_free(api, f"status=free&schedule={benali}&start=ge2026-11-30T09:00:00Z&_count=1")[0],
        paul["id"],
    )
    return {
        "jeanne": jeanne["id"], "paul": paul["id"], "martin": martin, "benali": benali,
        "monday": monday.json["id"], "wednesday": wednesday.json["id"], "pauls": pauls.json["id"],
        "code": wednesday.json["identifier"][0]["value"],
    }


# Paging ------------------------------------------------------------------------------------


def test_120_slots_come_back_in_pages_of_50_with_working_next_links(api: Api) -> None:
    martin = practitioner_id(api.database, "Martin")
    first = api.search(
        f"Slot?schedule=Schedule/{martin}&start=ge2026-12-07&start=lt2026-12-12&_count=50"
    )
    pages, bundle = [first], first
    while (following := link(bundle, "next")) is not None:
        bundle = follow(api, following)
        pages.append(bundle)
    assert [len(page.entry or []) for page in pages] == [50, 50, 20]
    assert {page.total for page in pages} == {120}
    starts = [e.resource.start for page in pages for e in page.entry]
    assert len(set(starts)) == 120 and starts == sorted(starts)
    assert str(starts[0]) == "2026-12-07 09:00:00+01:00"
    assert str(starts[-1]) == "2026-12-11 16:45:00+01:00"
    # A page's self link gives the same page again.
    again = follow(api, link(pages[1], "self"))
    assert ids(again) == ids(pages[1])


def test_slots_include_their_schedules(api: Api) -> None:
    bundle = api.search("Slot?status=free&start=ge2026-12-01&_count=100&_include=Slot:schedule")
    schedules = {e.resource.schedule.reference for e in bundle.entry if e.search.mode == "match"}
    included = [e for e in bundle.entry if e.search.mode == "include"]
    assert {f"Schedule/{e.resource.id}" for e in included} == schedules and len(schedules) > 1
    assert {e.resource.get_resource_type() for e in included} == {"Schedule"}
    assert len(ids(bundle)) == 100 and bundle.total > 100  # includes do not count in the page


# Practitioners and schedules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "surnames"),
    [
        ("", ["Martin", "Benali", "Lefèvre"]),
        ("name=mart", ["Martin"]),
        ("name=LEFEVRE", ["Lefèvre"]),  # no accents, any case
        ("name=karim", ["Benali"]),  # a given name
        ("name=claire,anne", ["Martin", "Lefèvre"]),  # a comma is "or"
        ("name=claire&name=martin", ["Martin"]),  # repeating is "and"
        ("name=tin", []),  # the start of a name, not any part of it
        (f"identifier={RPPS_SYSTEM}|{RPPS_BENALI}", ["Benali"]),
        (f"identifier=urn:oid:1.2.250.1.71.4.2.1|8{RPPS_MARTIN}", ["Martin"]),
        (f"identifier={RPPS_MARTIN}", ["Martin"]),  # any system
        (f"identifier=urn:oid:1.2.3|{RPPS_MARTIN}", []),  # a system the server does not keep
    ],
)
def test_practitioners_are_found_by_name_and_by_rpps(
    api: Api, query: str, surnames: list[str]
) -> None:
    bundle = api.search(f"Practitioner?{query}")
    assert [e.resource.name[0].family for e in bundle.entry or []] == surnames
    assert bundle.total == len(surnames)


def test_a_practitioner_carries_the_rpps_number_and_the_national_id(api: Api) -> None:
    martin = api.search(f"Practitioner?identifier={RPPS_MARTIN}").entry[0].resource
    assert [(i.system, i.value, i.type.coding[0].code) for i in martin.identifier] == [
        (RPPS_SYSTEM, RPPS_MARTIN, "RPPS"),
        ("urn:oid:1.2.250.1.71.4.2.1", "8" + RPPS_MARTIN, "IDNPS"),
    ]


def test_schedules_are_listed_and_found_by_actor_with_their_practitioner(api: Api) -> None:
    benali = practitioner_id(api.database, "Benali")
    assert api.search("Schedule").total == 3
    bundle = api.search(f"Schedule?actor=Practitioner/{benali}&_include=Schedule:actor")
    assert ids(bundle) == [str(benali)] and ids(bundle, "include") == [str(benali)]
    assert bundle.entry[0].resource.actor[0].reference == f"Practitioner/{benali}"
    assert bundle.entry[1].resource.name[0].family == "Benali"
    assert api.search("Schedule?actor=999").total == 0


# Appointments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["monday", "pauls", "wednesday"]),
        ("date=2026-11-30", ["monday", "pauls"]),  # a site-local day
        ("date=ge2026-12-01", ["wednesday"]),
        ("date=lt2026-11-30T08:30:00Z", ["monday"]),  # 9:15 in Paris is 8:15 UTC
        ("practitioner=Practitioner/{benali}", ["pauls"]),
        ("practitioner={martin}", ["monday", "wednesday"]),
        ("patient=Patient/{jeanne}", ["monday", "wednesday"]),
        ("patient={jeanne},{paul}&date=2026-11-30", ["monday", "pauls"]),
        ("status=booked", ["monday", "pauls", "wednesday"]),
        ("status=cancelled,noshow", []),
        (f"identifier={CODE_SYSTEM}|{{code}}", ["wednesday"]),
        ("identifier={code}", ["wednesday"]),
        ("identifier=urn:oid:1.2.3|{code}", []),
    ],
)
def test_appointments_are_found_by_date_practitioner_patient_status_and_booking_code(
    api: Api, booked: dict[str, Any], query: str, expected: list[str]
) -> None:
    bundle = api.search("Appointment?" + query.format(**booked))
    assert ids(bundle) == [booked[name] for name in expected]
    assert bundle.total == len(expected)


def test_what_was_booked_at_the_kiosk_is_found_by_its_code_and_by_the_persons_nir(
    api: Api,
) -> None:
    app = api.client.application
    with app.app_context():
        made = book(get_db(app), get_vault(app), slot_id=first_free(api)[0],
                    identity=Identity("DURAND", "JEANNE", date(1953, 7, 15), nir=NIR,
                                      source="card"),
                    clinical=Clinical("fever"), idempotency_key="kiosk-visit", actor="visit:x",
                    now=NOW)
    by_code = api.search(f"Appointment?identifier={CODE_SYSTEM}|{made.code}")
    assert ids(by_code) == [str(made.id)]
    person = api.search(f"Patient?identifier={NIR_SYSTEM}|{NIR}")
    assert ids(person) == [str(made.patient_id)]
    as_doctor = api.search(f"Appointment?patient={made.patient_id}", token="doctor")
    assert as_doctor.entry[0].resource.reasonCode[0].text == "Fièvre"


def test_a_booking_code_is_found_in_any_case_and_after_a_status_change(
    api: Api, booked: dict[str, Any]
) -> None:
    api.set_status(booked["wednesday"], "cancelled")
    bundle = api.search(f"Appointment?identifier={booked['code'].lower()}&status=cancelled")
    assert ids(bundle) == [booked["wednesday"]]
    assert bundle.entry[0].resource.status == "cancelled"


def test_appointments_include_their_patients_and_practitioners(
    api: Api, booked: dict[str, Any]
) -> None:
    bundle = api.search(
        "Appointment?date=2026-11-30&_include=Appointment:patient"
        "&_include=Appointment:practitioner"
    )
    included = {(e.resource.get_resource_type(), e.resource.id) for e in bundle.entry
                if e.search.mode == "include"}
    assert included == {
        ("Patient", booked["jeanne"]), ("Patient", booked["paul"]),
        ("Practitioner", str(booked["martin"])), ("Practitioner", str(booked["benali"])),
    }


# Patients ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"identifier={NIR_SYSTEM}|{NIR}", ["jeanne"]),
        (f"identifier={OTHER_NIR}", ["paul"]),  # any system
        ("identifier=2 53 07 2B 073 004 70", ["jeanne"]),  # typed with spaces
        (f"identifier=urn:oid:1.2.3|{NIR}", []),
        ("family=lefevre&birthdate=1941-03-15", ["paul"]),
        ("family=Lefèvre&birthdate=eq1941-03-15", ["paul"]),
        ("family=lef&birthdate=1953-07-15", []),
        ("family=dur&birthdate=1953-07-15,1941-03-15", ["jeanne"]),
        (f"identifier={NIR}&family=durand&birthdate=1953-07-15", ["jeanne"]),
        (f"identifier={NIR}&family=lefevre&birthdate=1953-07-15", []),
    ],
)
def test_patients_are_found_by_nir_or_by_family_and_birthdate(
    api: Api, booked: dict[str, Any], query: str, expected: list[str]
) -> None:
    bundle = api.search(f"Patient?{query}")
    assert ids(bundle) == [booked[name] for name in expected]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "by identifier (the INS-NIR), or by family and birthdate together"),
        ("family=durand", "by family and birthdate together"),
        ("birthdate=1953-07-15", "by family and birthdate together"),
        ("identifier=253072B07300471", "this NIR is not right"),
        ("family=durand&birthdate=1953", "YYYY-MM-DD"),
        ("family=durand&birthdate=ge1953-07-15", "YYYY-MM-DD"),
    ],
)
def test_a_patient_search_that_could_list_people_or_is_malformed_is_400(
    api: Api, query: str, says: str
) -> None:
    response = api.call("GET", f"/fhir/Patient?{query}")
    assert response.status_code == 400 and says in outcome_of(response)
    assert "253072B07300471" not in outcome_of(response)


def test_a_search_by_nir_can_be_posted_to_keep_the_nir_out_of_urls(
    api: Api, booked: dict[str, Any]
) -> None:
    form = {"identifier": f"{NIR_SYSTEM}|{NIR}", "_include": "Appointment:patient"}
    posted = api.call("POST", "/fhir/Patient/_search", data={"identifier": form["identifier"]})
    assert posted.status_code == 200
    assert ids(Bundle.model_validate(posted.json)) == [booked["jeanne"]]
    # Query string and form together, as FHIR allows; the links are GET URLs.
    both = api.call("POST", "/fhir/Appointment/_search?status=booked",
                    data={"patient": booked["jeanne"]})
    bundle = Bundle.model_validate(both.json)
    assert ids(bundle) == [booked["monday"], booked["wednesday"]]
    assert urlsplit(link(bundle, "self")).path == "/fhir/Appointment"
    as_json = api.call("POST", "/fhir/Patient/_search", body=form)
    assert as_json.status_code == 415 and "x-www-form-urlencoded" in outcome_of(as_json)
    assert api.call("GET", "/fhir/Patient/_search").status_code == 405


# Unknown parameters and bad values ----------------------------------------------------------

SEARCHES = ["Slot", "Schedule", "Practitioner", "Patient?identifier=" + NIR, "Appointment"]


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("extra", ["colour=blue", "_sort=start", "name:exact=Martin"])
def test_an_unknown_parameter_is_400_unless_the_client_asks_for_lenient_handling(
    api: Api, search: str, extra: str
) -> None:
    separator = "&" if "?" in search else "?"
    strict = api.call("GET", f"/fhir/{search}{separator}{extra}")
    assert strict.status_code == 400
    assert "Unsupported search parameter" in outcome_of(strict)
    lenient = api.search(f"{search}{separator}{extra}", headers=LENIENT)
    # The self link says what was used, and it was used without the unknown parameter.
    assert extra.split("=")[0] not in link(lenient, "self")
    assert lenient.total == api.search(search).total


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("Slot?_include=Slot:practitioner", "includes Slot:schedule"),
        ("Practitioner?_include=Practitioner:organization", "includes none"),
        ("Appointment?date=tomorrow", "date must be a date"),
        ("Appointment?date=ge2026-12-01T09:00:00", "date-time with its offset"),
        ("Appointment?status=done", "status must be among"),
        ("Appointment?patient=Group/1", "patient must be Patient/<id>"),
        ("Appointment?practitioner=dr-martin", "practitioner must be Practitioner/<id>"),
        ("Schedule?actor=Patient/1", "actor must be Practitioner/<id>"),
        ("Appointment?_count=500", "_count"),
        ("Slot?status=open", "status must be among"),
        ("Slot?start=ge2026-12-01T09:00:00", "date-time with its offset"),
        ("Slot?start=ge01-12-2026", "start must be a date"),
        ("Slot?start=ge2026-02-30", "start must be a date"),
        ("Slot?start=ge0001-01-01T00:00:00Z", "start must be a date"),
        ("Slot?start=ap2026-12-01", "start must be a date"),
        ("Slot?_count=0", "_count"),
        ("Slot?_count=201", "_count"),
        ("Slot?_count=99999999999999999999", "_count"),
        ("Slot?_offset=-1", "_offset"),
        ("Slot?schedule=Practitioner/1", "Schedule/<id>"),
        ("Slot?practitioner=1", "Unsupported search parameter 'practitioner'"),
    ],
)
def test_a_bad_search_value_is_400_with_a_plain_sentence(api: Api, query: str, says: str) -> None:
    response = api.call("GET", f"/fhir/{query}")
    assert response.status_code == 400 and says in outcome_of(response)


# The journal -------------------------------------------------------------------------------


def test_searches_that_return_people_are_journaled_one_row_per_person(
    api: Api, booked: dict[str, Any]
) -> None:
    before = len(journal(api))
    api.search("Slot?_count=5")
    api.search("Practitioner")
    api.search("Appointment?status=noshow")
    assert len(journal(api)) == before  # nobody's record went out
    api.search("Appointment?_include=Appointment:patient")
    api.search(f"Patient?identifier={NIR}", token="doctor")
    jeanne, paul = pseudonym(api, booked["jeanne"]), pseudonym(api, booked["paul"])
    assert journal(api)[before:] == [
        ("api:agenda-pharmacie", "appointment.searched", jeanne),  # twice booked: once here
        ("api:agenda-pharmacie", "appointment.searched", paul),
        ("api:dr-martin", "patient.searched", jeanne),
    ]


# Property: no query string makes a search fail ---------------------------------------------

FUZZ = hypothesis_settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALUES = st.text(max_size=30) | st.sampled_from(
    ["ge2026-12-01", "2026-11-30", "Patient/1", "1,2", f"{NIR_SYSTEM}|{NIR}", NIR, "|x", "lt"]
)
NAMES = {
    "Appointment": ["date", "status", "practitioner", "patient", "identifier"],
    "Patient": ["identifier", "family", "birthdate"],
    "Practitioner": ["name", "identifier"],
    "Schedule": ["actor"],
    "Observation": ["patient", "code", "date"],
}


@FUZZ
@given(
    resource=st.sampled_from(sorted(NAMES)),
    params=st.lists(
        st.tuples(st.sampled_from(["_count", "_offset", "_include", "x", "a", "b", "c"]), VALUES),
        max_size=5,
    ),
)
def test_no_query_string_makes_a_search_fail(
    api: Api, resource: str, params: list[tuple[str, str]]
) -> None:
    names = NAMES[resource]
    # "a", "b" and "c" stand for the resource's own parameters, "x" for an unknown one.
    query = [({"a": names[0], "b": names[-1], "c": names[len(names) // 2]}.get(k, k), v)
             for k, v in params]
    response = api.client.get(
        f"/fhir/{resource}", query_string=query,
        headers={"Authorization": f"Bearer {api.doctor}"},
    )
    assert response.status_code in (200, 400), response.json
    if response.status_code == 200:
        assert Bundle.model_validate(response.json).type == "searchset"
    else:
        outcome_of(response)
