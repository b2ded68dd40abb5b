"""The FHIR API as a test sees it: an integrator's client with its tokens, and the bodies it
sends. Its fixtures ``api`` and ``stored`` reach every test: tests/conftest.py loads this
module as a plugin (the standing ``clock`` they use is in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk import create_app
from kiosk.core.db import Database, get_db
from kiosk.core.migrate import upgrade
from kiosk.core.records import Practitioner
from kiosk.demo.data import seed_demo
from kiosk.security.tokens import create_token

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
NIR = "253072B07300470"  # a woman born in Corsica (2B): the key is checked with its letter
OTHER_NIR = "295109912611193"
NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
CODE_SYSTEM = "urn:kiosk:booking-code"
PATCH_TYPE = "application/json-patch+json"


@dataclass
class Api:
    """An integrator's client: a staff token, Dr Martin's token, any others, and the kiosk's
    database. Every answer it gets must be valid FHIR (``fhir.resources`` R4B)."""

    client: FlaskClient
    staff: str
    doctor: str
    database: Database
    others: dict[str, str] = field(default_factory=dict)

    def call(
        self, method: str, path: str, token: str | None = "staff", **kwargs: Any
    ) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            bearer = {"staff": self.staff, "doctor": self.doctor, **self.others}.get(token, token)
            headers["Authorization"] = f"Bearer {bearer}"
        if "body" in kwargs:
            kwargs["data"] = json.dumps(kwargs.pop("body"))
            kwargs.setdefault("content_type", "application/fhir+json")
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        assert response.mimetype == "application/fhir+json", response.get_data(as_text=True)
        body = response.json
        get_fhir_model_class(body["resourceType"]).model_validate(body)
        return response

    def create_patient(self, **changes: Any) -> dict[str, Any]:
        response = self.call("POST", "/fhir/Patient", body=patient_body(**changes))
        assert response.status_code == 201, response.json
        return response.json  # type: ignore[return-value]

    def book(
        self, slot_id: int, patient_id: str, key: str | None = None, **changes: Any
    ) -> TestResponse:
        headers = {"Idempotency-Key": key} if key else {}
        body = appointment_body(slot_id, patient_id, **changes)
        return self.call("POST", "/fhir/Appointment", body=body, headers=headers)

    def slots(self, query: str, token: str = "staff") -> Bundle:
        response = self.call("GET", f"/fhir/Slot?{query}", token=token)
        assert response.status_code == 200, response.json
        return Bundle.model_validate(response.json)

    def search(self, query: str, token: str = "staff", **kwargs: Any) -> Bundle:
        """``GET /fhir/<query>``, which must answer a searchset Bundle."""
        response = self.call("GET", f"/fhir/{query}", token=token, **kwargs)
        assert response.status_code == 200, response.json
        bundle = Bundle.model_validate(response.json)
        assert bundle.type == "searchset"
        return bundle

    def set_status(
        self, appointment_id: str, status: str, version: str | None = None, token: str = "staff"
    ) -> TestResponse:
        """PATCH the appointment's status (under If-Match when ``version`` is given)."""
        headers = {"If-Match": f'W/"{version}"'} if version else {}
        patch = [{"op": "replace", "path": "/status", "value": status}]
        return self.call("PATCH", f"/fhir/Appointment/{appointment_id}", token=token,
                         data=json.dumps(patch), content_type=PATCH_TYPE, headers=headers)


def ids(bundle: Bundle, mode: str = "match") -> list[str]:
    """The ids of a Bundle's entries of that search mode, in order."""
    return [str(e.resource.id) for e in bundle.entry or [] if e.search.mode == mode]


def patient_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Patient",
        "name": [{"family": "Durand", "given": ["Jeanne", "Marie"]}],
        "birthDate": "1953-07-15",
        "identifier": [{"system": NIR_SYSTEM, "value": NIR}],
        "telecom": [{"system": "phone", "value": "+33 6 12 34 56 78"}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def appointment_body(slot_id: int, patient_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot_id}"}],
        "participant": [{"actor": {"reference": f"Patient/{patient_id}"}, "status": "accepted"}],
        "reasonCode": [{"text": "fièvre depuis trois jours"}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def practitioner_id(database: Database, surname: str) -> int:
    """The id of the demo doctor called ``surname``."""
    with database.read() as db:
        return int(db.scalar(select(Practitioner.id).where(Practitioner.surname == surname)))


def seeded_api(app: Flask) -> Api:
    """The demo data, a staff token and Dr Martin's and Dr Benali's doctor tokens."""
    database = get_db(app)
    seed_demo(database, "Mairie de Test", "Europe/Paris", 15)

    def doctor(name: str, surname: str) -> str:
        return create_token(database, name, "doctor",
                            practitioner_id=practitioner_id(database, surname))

    return Api(
        app.test_client(),
        create_token(database, "agenda-pharmacie", "staff"),
        doctor("dr-martin", "Martin"),
        database,
        {"benali": doctor("dr-benali", "Benali")},
    )


@pytest.fixture
def api(app: Flask, clock: time_machine.Traveller) -> Api:
    """The API on a seeded SQLite database (for checks that reach no storage rule)."""
    return seeded_api(app)


@pytest.fixture
def stored(
    settings: dict[str, Any], database_url: str, clock: time_machine.Traveller
) -> Iterator[Api]:
    """The API on a seeded database of each kind (SQLite and PostgreSQL)."""
    upgrade(database_url)
    app = create_app({**settings, "database_url": database_url})
    yield seeded_api(app)
    get_db(app).dispose()


def outcome_of(response: TestResponse) -> str:
    """The diagnostics of an OperationOutcome answer (which must be valid FHIR)."""
    issues = OperationOutcome.model_validate(response.json).issue
    assert issues and issues[0].severity == "error"
    return str(issues[0].diagnostics)


def count(database: Database, model: type, *where: Any) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def first_free(api: Api, query: str = "status=free&_count=3") -> list[int]:
    """The ids of the first free slots (Dr Martin's first, at 9:15 on Monday)."""
    return [int(e.resource.id) for e in api.slots(query).entry or []]
