"""The FHIR API's Observation endpoints: blood-pressure readings kept for an appointment.

Readings are health values: only doctor tokens read and search them, and only those kept for
one of their appointments (``kiosk.fhir.scope``). Staff tokens send them (as a unit will for
the readings it takes) but never read one back: the answer to their POST is an
OperationOutcome naming the stored Observation, not the values. The shape of a reading is
``kiosk.fhir.bp_panel``'s.
"""

from __future__ import annotations

from fhir.resources.R4B.observation import Observation
from flask import Response, url_for
from sqlalchemy import Select, false, func, select

from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Measurement, Patient, utcnow
from kiosk.fhir import scope, writes
from kiosk.fhir.auth import actor, caller, require
from kiosk.fhir.bp_panel import LOINC, PANEL, Reading, observation_resource, reading
from kiosk.fhir.for_caller import patient_for_caller
from kiosk.fhir.outcome import Invalid, Unprocessable, outcome, resource_response
from kiosk.fhir.params import (
    Param,
    Spec,
    date_clause,
    date_conditions,
    either,
    lenient,
    read_search,
    reference_ids,
    register,
    search_args,
    token,
)
from kiosk.fhir.parse import idempotency_key, no_query, read_resource
from kiosk.fhir.routing import get_or_404, route
from kiosk.fhir.searchset import Found, answer
from kiosk.security.vault import get_vault
from kiosk.vitals.measurements import load

OBSERVATIONS = register(
    Spec(
        "Observation",
        (
            Param("patient", "reference", "Patient/<id>: that person's readings."),
            Param("code", "token", f"{LOINC}|{PANEL}, the blood-pressure panel (the only "
                  "code kept)."),
            Param("date", "date", "When the reading was taken."),
        ),
        includes=("Observation:patient",),
    )
)


def _resource(measurement: Measurement, patient_id: int) -> Observation:
    return observation_resource(
        load(measurement, get_vault()), measurement.taken_at, site_tz(),
        patient_id=patient_id, resource_id=measurement.id,
    )


def _readings() -> Select[Measurement, Patient]:
    """Readings the caller reaches, with their patient."""
    return (
        select(Measurement, Patient)
        .join(Appointment, Measurement.appointment_id == Appointment.id)
        .join(Patient, Appointment.patient_id == Patient.id)
        .where(scope.readings())
    )


@route("/Observation/<resource_id>", "GET", "read")
@require("doctor")
def read_observation(resource_id: str) -> Response:
    """One reading kept for one of the doctor's appointments."""
    database = get_db()
    with database.read() as db:
        measurement = get_or_404(db, Measurement, resource_id, "Observation", scope.readings())
        patient = db.scalar(
            select(Patient).join(Appointment, Appointment.patient_id == Patient.id)
            .where(Appointment.id == measurement.appointment_id)
        )
    assert patient is not None  # the scope only reaches readings kept for an appointment
    writes.audit(database, actor(), "observation.read", patient.pseudonym, utcnow())
    return resource_response(_resource(measurement, patient.id))


def _is_panel(value: str) -> bool:
    return any(system in (None, LOINC) and code == PANEL for system, code in map(token,
                                                                                either(value)))


@route("/Observation", "GET", "search-type")
@require("doctor")
def search_observations() -> Response:
    """Search the doctor's patients' readings; each person returned is journaled."""
    wanted = read_search(OBSERVATIONS, search_args(), lenient())
    query = _readings().where(
        date_clause(Measurement.taken_at, date_conditions(wanted.get("date"), site_tz(), "date"))
    )
    for value in wanted.get("patient"):
        query = query.where(Appointment.patient_id.in_(reference_ids(value, "Patient", "patient")))
    for value in wanted.get("code"):
        if not _is_panel(value):
            query = query.where(false())
    with get_db().read() as db:
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        found = db.execute(
            query.order_by(Measurement.taken_at, Measurement.id)
            .limit(wanted.count).offset(wanted.offset)
        ).all()
    matches = [Found(_resource(m, p.id), p.pseudonym) for m, p in found]
    included = []
    if "Observation:patient" in wanted.includes:
        people = {p.id: p for _m, p in found}
        included = [Found(patient_for_caller(p), p.pseudonym) for p in people.values()]
    return answer(wanted, ".search_observations", matches, total, included)


@route("/Observation", "POST", "create")
@require("staff")
def create_observation() -> Response:
    """Keep a blood-pressure reading for the patient's appointment of that day: 201."""
    no_query()
    now = utcnow()
    sent = reading(read_resource(Observation), now)
    key = idempotency_key(caller().id)
    try:
        kept = writes.store_reading(get_db(), get_vault(), reading=sent, idempotency_key=key,
                                    actor=actor(), now=now, tz=site_tz())
    except writes.UnknownPatient:
        raise Invalid("Observation.subject: no Patient has this id.") from None
    except writes.NoAppointmentThatDay:
        raise Unprocessable(
            "This patient has no appointment that day: a reading is kept only for the doctor "
            "of an appointment."
        ) from None
    _check_same(kept, sent)
    location = url_for(".read_observation", resource_id=kept.id, _external=True)
    stored = outcome("informational", f"Stored as Observation/{kept.id}.", severity="information")
    return resource_response(stored, 201, {"Location": location})


def _check_same(kept: Measurement, sent: Reading) -> None:
    """A retried POST (same Idempotency-Key) must send the same reading."""
    with get_db().read() as db:
        patient_id = db.scalar(
            select(Appointment.patient_id).where(Appointment.id == kept.appointment_id)
        )
    same = (
        patient_id == sent.patient_id
        and kept.taken_at == sent.taken_at
        and load(kept, get_vault()) == sent.result
    )
    if not same:
        raise Unprocessable("This Idempotency-Key was already used for another reading.")
