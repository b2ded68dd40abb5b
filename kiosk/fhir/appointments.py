"""The FHIR API's Appointment endpoints: book, read, search (rules in ``kiosk.fhir``); status
changes are in ``kiosk.fhir.appointment_status``."""

from __future__ import annotations

from datetime import datetime

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from flask import Response
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session, joinedload

from kiosk.booking import slots as kiosk_slots
from kiosk.booking.service import (
    Clinical,
    SlotTaken,
)
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Patient, Slot, utcnow
from kiosk.fhir import resources, scope, writes
from kiosk.fhir.auth import actor, caller, require
from kiosk.fhir.for_caller import appointment_for_caller, appointment_response, patient_for_caller
from kiosk.fhir.outcome import (
    Conflict,
    FhirError,
    Invalid,
    Unprocessable,
)
from kiosk.fhir.params import (
    Param,
    Search,
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
from kiosk.fhir.parse import (
    BookingRequest,
    booking_request,
    idempotency_key,
    no_query,
    read_resource,
)
from kiosk.fhir.routing import READERS, get_or_404, route
from kiosk.fhir.searchset import Found, answer
from kiosk.security.vault import get_vault

# FHIR R4 AppointmentStatus: a search may name any of them; the kiosk uses six.
FHIR_STATUSES = ("proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
                 "entered-in-error", "checked-in", "waitlist")
APPOINTMENTS = register(
    Spec(
        "Appointment",
        (
            Param("date", "date", "When it starts; a date is a whole day in the site's zone."),
            Param("status", "token", "booked, checked-in, arrived, fulfilled, cancelled, "
                  "noshow."),
            Param("practitioner", "reference", "Practitioner/<id>: that doctor's appointments."),
            Param("patient", "reference", "Patient/<id>: that person's appointments."),
            Param("identifier", "token", "The booking code on the person's ticket: "
                  f"{resources.CODE_SYSTEM}|<code>."),
        ),
        includes=("Appointment:patient", "Appointment:practitioner"),
    )
)


@route("/Appointment", "POST", "create")
@require("staff")
def create_appointment() -> Response:
    """Book a slot for a stored patient: 201, or 409 if the slot is taken."""
    no_query()
    wanted = booking_request(read_resource(FhirAppointment))
    key = idempotency_key(caller().id)
    now = utcnow()
    database = get_db()
    with database.read() as db:
        earlier = db.scalar(select(Appointment).where(Appointment.idempotency_key == key))
        if earlier is None:
            _check_booking(db, wanted, now)
    appointment = earlier
    if appointment is None:
        try:
            appointment = writes.book_for_patient(
                database,
                get_vault(),
                slot_id=wanted.slot_id,
                patient_id=wanted.patient_id,
                clinical=Clinical(reason=wanted.reason),
                idempotency_key=key,
                actor=actor(),
                now=now,
            )
        except SlotTaken:
            raise slot_taken() from None
        except writes.UnknownPatient:
            raise Invalid("Appointment.participant: no Patient has this id.") from None
    if (appointment.slot_id, appointment.patient_id) != (wanted.slot_id, wanted.patient_id):
        raise Unprocessable("This Idempotency-Key was already used for another booking.")
    return appointment_response(appointment.id, 201)


def slot_taken() -> FhirError:
    return Conflict("This slot is no longer free (just taken, or too late). Search free slots.")


def _check_booking(db: Session, wanted: BookingRequest, now: datetime) -> None:
    """Refuse early, with a precise sentence, what the booking transaction would refuse."""
    slot = db.get(Slot, wanted.slot_id)
    if slot is None:
        raise Invalid("Appointment.slot[0]: no Slot has this id.")
    if db.get(Patient, wanted.patient_id) is None:
        raise Invalid("Appointment.participant: no Patient has this id.")
    if wanted.practitioner_id not in (None, slot.practitioner_id):
        raise Invalid("Appointment.participant: this Practitioner does not hold this Slot.")
    if (wanted.start is not None and wanted.start != slot.starts_at) or (
        wanted.end is not None and wanted.end != slot.ends_at
    ):
        raise Invalid("Appointment.start and end must be the Slot's, or left out.")
    if not kiosk_slots.is_free(db, slot.id, now):
        raise slot_taken()


@route("/Appointment/<resource_id>", "GET", "read")
@require(*READERS)
def read_appointment(resource_id: str) -> Response:
    """One appointment the caller reaches."""
    database = get_db()
    with database.read() as db:
        appointment = get_or_404(db, Appointment, resource_id, "Appointment", scope.appointments())
        pseudonym = appointment.patient.pseudonym
    writes.audit(database, actor(), "appointment.read", pseudonym, utcnow())
    return appointment_response(appointment.id)


# Search ------------------------------------------------------------------------------------


def _codes(value: str) -> list[str]:
    """The booking codes one identifier value asks for (none for another system)."""
    return [code.upper() for system, code in map(token, either(value))
            if system in (None, resources.CODE_SYSTEM)]


def _statuses(value: str) -> list[str]:
    statuses = either(value)
    if any(status not in FHIR_STATUSES for status in statuses):
        raise Invalid(f"status must be among {', '.join(FHIR_STATUSES)}.")
    return statuses


def _filtered(wanted: Search) -> Select[Appointment]:
    query = (
        select(Appointment)
        .join(Slot, Appointment.slot_id == Slot.id)
        .where(scope.appointments())
        .where(date_clause(Slot.starts_at, date_conditions(wanted.get("date"), site_tz(), "date")))
    )
    for value in wanted.get("status"):
        query = query.where(Appointment.status.in_(_statuses(value)))
    for value in wanted.get("practitioner"):
        query = query.where(
            Slot.practitioner_id.in_(reference_ids(value, "Practitioner", "practitioner"))
        )
    for value in wanted.get("patient"):
        query = query.where(Appointment.patient_id.in_(reference_ids(value, "Patient", "patient")))
    for value in wanted.get("identifier"):
        codes = _codes(value)
        query = query.where(Appointment.code.in_(codes) if codes else false())
    return query


@route("/Appointment", "GET", "search-type")
@require(*READERS)
def search_appointments() -> Response:
    """Search the appointments the caller reaches; each person returned is journaled."""
    wanted = read_search(APPOINTMENTS, search_args(), lenient())
    query = _filtered(wanted)
    with get_db().read() as db:
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        found = list(db.scalars(
            query.options(joinedload(Appointment.slot).joinedload(Slot.practitioner),
                          joinedload(Appointment.patient))
            .order_by(Slot.starts_at, Appointment.id).limit(wanted.count).offset(wanted.offset)
        ))
        matches = [Found(appointment_for_caller(a), a.patient.pseudonym) for a in found]
        included = []
        if "Appointment:patient" in wanted.includes:
            people = {a.patient_id: a.patient for a in found}
            included += [Found(patient_for_caller(p), p.pseudonym) for p in people.values()]
        if "Appointment:practitioner" in wanted.includes:
            doctors = {a.slot.practitioner_id: a.slot.practitioner for a in found}
            included += [Found(resources.practitioner_resource(d)) for d in doctors.values()]
    return answer(wanted, ".search_appointments", matches, total, included)
