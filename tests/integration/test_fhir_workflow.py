"""Issue 16, end to end: an ordinary scheduling workflow driven by a real FHIR client library
(fhirpy, pinned in the dev extras) against the kiosk as it runs in production: `kiosk run`
(gunicorn, server mode, two workers) on PostgreSQL, set up with the `kiosk` commands.

Every answer the client gets is checked with ``fhir.resources`` (a requests hook sees them
all). The clock is the real one, so "next week" is next week.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from demo_server import DemoServer, free_port, kiosk_command, kiosk_env, start_kiosk
from fhir.resources.R4B import get_fhir_model_class
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ForbiddenError, MultipleResourcesFound
from fhirpy.base.exceptions import OperationOutcome as OutcomeError

from kiosk.core.db import Database
from kiosk.core.records import utcnow
from kiosk.security.vault import Vault
from kiosk.vitals.measurements import Result, save

NIR = "253072B07300470"
NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
CODE_SYSTEM = "urn:kiosk:booking-code"
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
RPPS_MARTIN = "10001928372"


def kiosk(data_dir: Path, env: dict[str, str], *args: str) -> str:
    """Run one `kiosk` command as an operator would; its standard output."""
    done = subprocess.run([kiosk_command(), *args], env=kiosk_env(data_dir, env),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def served(tmp_path: Path, postgres_url: str) -> Iterator[dict[str, Any]]:
    """A central server on PostgreSQL with the demo data, a staff token and Dr Martin's."""
    data_dir = tmp_path / "central"
    port = free_port()
    env = {"KIOSK_MODE": "server", "KIOSK_WORKERS": "2", "KIOSK_DATABASE_URL": postgres_url,
           "KIOSK_BIND": f"127.0.0.1:{port}"}
    kiosk(data_dir, env, "db", "upgrade")
    kiosk(data_dir, env, "seed-demo")
    staff = kiosk(data_dir, env, "token", "create", "--role", "staff", "--name", "agenda")
    doctor = kiosk(data_dir, env, "token", "create", "--role", "doctor", "--name", "dr-martin",
                   "--practitioner", RPPS_MARTIN)
    server: DemoServer = start_kiosk(data_dir, ("run",), port, env)
    try:
        yield {"url": server.url + "/fhir", "staff": staff, "doctor": doctor,
               "database_url": postgres_url, "key_file": data_dir / "keys" / "fields.key"}
    finally:
        server.stop()


class Checked:
    """Every answer fhirpy gets, checked as valid FHIR and kept for the test to look at."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, int]] = []

    def __call__(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        self.seen.append((response.request.method or "", response.url, response.status_code))
        assert response.headers["Content-Type"].startswith("application/fhir+json")
        body = response.json()
        get_fhir_model_class(body["resourceType"]).model_validate(body)


def client(served: dict[str, Any], token: str, checked: Checked,
           headers: dict[str, str] | None = None) -> SyncFHIRClient:
    return SyncFHIRClient(
        served["url"], authorization=f"Bearer {served[token]}", extra_headers=headers,
        requests_config={"hooks": {"response": [checked]}, "timeout": 20},
    )


def next_week() -> tuple[date, date]:
    """Monday and Saturday of next week, in the site's time zone (the demo's: Paris)."""
    today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=5)


def test_an_ordinary_scheduling_workflow_goes_through_with_fhirpy(served: dict[str, Any]) -> None:
    checked = Checked()
    agenda = client(served, "staff", checked)

    # 1. The practitioners and their schedules.
    practitioners = agenda.resources("Practitioner").fetch_all()
    assert [p["name"][0]["family"] for p in practitioners] == ["Martin", "Benali", "Lefèvre"]
    martin = agenda.resources("Practitioner").search(
        identifier=f"{RPPS_SYSTEM}|{RPPS_MARTIN}").get()
    schedule = agenda.resources("Schedule").search(actor=f"Practitioner/{martin.id}").get()
    assert schedule["actor"][0]["reference"] == f"Practitioner/{martin.id}"
    assert len(agenda.resources("Schedule").fetch_all()) == 3

    # 2. Dr Martin's free slots next week: 120, which fhirpy pages through (50 at a time).
    monday, saturday = next_week()
    free = (agenda.resources("Slot")
            .search(schedule=f"Schedule/{schedule.id}", status="free",
                    start__ge=monday, start__lt=saturday)
            .limit(50))
    before = len(checked.seen)
    slots = free.fetch_all()
    assert len(slots) == 120 and len(checked.seen) - before == 3  # three pages, next links
    assert {s["status"] for s in slots} == {"free"}
    assert slots[0]["start"].startswith(f"{monday.isoformat()}T09:00:00")

    # 3. Find the patient by INS-NIR, or create them: nobody yet, so created, once.
    assert agenda.resources("Patient").search(identifier=f"{NIR_SYSTEM}|{NIR}").fetch() == []
    creator = client(served, "staff", checked,
                     {"If-None-Exist": f"identifier={NIR_SYSTEM}|{NIR}"})
    for _attempt in range(2):  # the second POST (a retry) finds the first patient
        jeanne = creator.resource(
            "Patient", name=[{"family": "Durand", "given": ["Jeanne"]}], birthDate="1953-07-15",
            identifier=[{"system": NIR_SYSTEM, "value": NIR}],
        )
        jeanne.save()
    assert [status for method, _url, status in checked.seen[-2:]] == [201, 200]
    found = agenda.resources("Patient").search(identifier=f"{NIR_SYSTEM}|{NIR}").fetch()
    assert [p.id for p in found] == [jeanne.id]
    assert "identifier" not in found[0]  # a staff token never gets the NIR back

    # 4. Book the first of those slots.
    appointment = agenda.resource(
        "Appointment", status="booked", slot=[{"reference": f"Slot/{slots[0].id}"}],
        participant=[{"actor": {"reference": f"Patient/{jeanne.id}"}, "status": "accepted"}],
        reasonCode=[{"text": "Renouveler une ordonnance"}],
    )
    appointment.save()
    code = appointment["identifier"][0]["value"]
    assert appointment["status"] == "booked" and appointment["meta"]["versionId"] == "1"

    # 5. Find it again by date, by patient and by booking code.
    by_date = agenda.resources("Appointment").search(date=monday).fetch()
    by_patient = agenda.resources("Appointment").search(patient=f"Patient/{jeanne.id}").fetch()
    by_code = agenda.resources("Appointment").search(identifier=f"{CODE_SYSTEM}|{code}").fetch()
    assert [a.id for a in by_date] == [a.id for a in by_patient] == [a.id for a in by_code] == [
        appointment.id]

    # 6. Read it.
    read = agenda.reference("Appointment", appointment.id).to_resource()
    assert read["start"] == slots[0]["start"] and "reasonCode" not in read

    # 7. Check it in (PUT of the whole resource), then cancel it: with the stale version 1,
    #    refused (412); with the right one, cancelled.
    read["status"] = "checked-in"
    read.save()
    assert read["meta"]["versionId"] == "2"
    stale = client(served, "staff", checked, {"If-Match": 'W/"1"'})
    cancelling = stale.reference("Appointment", appointment.id).to_resource()
    cancelling["status"] = "cancelled"
    with pytest.raises(MultipleResourcesFound) as refused:  # fhirpy's name for a 412
        cancelling.save()
    assert "changed since that version" in str(refused.value)
    assert agenda.get("Appointment", appointment.id)["status"] == "checked-in"
    right = client(served, "staff", checked, {"If-Match": 'W/"2"'})
    cancelling = right.reference("Appointment", appointment.id).to_resource()
    cancelling["status"] = "cancelled"
    cancelling.save()
    assert cancelling["status"] == "cancelled" and cancelling["meta"]["versionId"] == "3"
    assert slots[0].id in [s.id for s in free.fetch_all()]  # the slot is free again

    # 8. The doctor reads the blood-pressure readings of that patient, as the kiosk kept them
    #    (taken at check-in, for this appointment).
    database = Database(served["database_url"])
    try:
        save(database, Vault(served["key_file"]), session_ref="visit",
             result=Result(142, 88, 76, ((142, 88, 76),)), appointment_id=int(appointment.id),
             taken_at=utcnow())
    finally:
        database.dispose()
    with pytest.raises(ForbiddenError):  # a staff token reads no health value
        agenda.resources("Observation").search(patient=jeanne.id).fetch()
    doctor = client(served, "doctor", checked)
    readings = doctor.resources("Observation").search(
        patient=f"Patient/{jeanne.id}", code="http://loinc.org|85354-9").fetch()
    assert len(readings) == 1
    values = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"]
              for c in readings[0]["component"]}
    assert values == {"8480-6": 142, "8462-4": 88, "8867-4": 76}
    assert doctor.get("Patient", jeanne.id)["identifier"][0]["value"] == NIR
    assert doctor.get("Appointment", appointment.id)["reasonCode"] == [
        {"text": "Renouveler une ordonnance"}]

    # The API never answered 500, and every answer was valid FHIR (the hook checked each).
    assert all(status < 500 for _method, _url, status in checked.seen)
    with pytest.raises(OutcomeError):
        agenda.resources("Appointment").search(colour="blue").fetch()
