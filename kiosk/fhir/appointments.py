"""The FHIR API's Appointment endpoints: book, read, cancel (rules in ``kiosk.fhir``)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from flask import Response, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.booking import slots as kiosk_slots
from kiosk.booking.questions import reason_word
from kiosk.booking.service import AppointmentNotFound, Clinical, SlotTaken, cancel, clinical_of
from kiosk.db import get_db
from kiosk.fhir import resources, store
from kiosk.fhir.auth import actor, caller, require
from kiosk.fhir.outcome import (
    PATCH_TYPE,
    Conflict,
    FhirError,
    Invalid,
    Unprocessable,
    resource_response,
)
from kiosk.fhir.parse import BookingRequest, booking_request, read_json, read_resource
from kiosk.fhir.routing import CARE_ROLES, READERS, get_or_404, route, site_tz
from kiosk.models import Appointment, Patient, Slot, utcnow
from kiosk.vault import get_vault

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:-]{1,200}")
CANCEL_PATCH = [{"op": "replace", "path": "/status", "value": "cancelled"}]


def _appointment_response(appointment_id: int, status: int = 200) -> Response:
    """The Appointment as this caller may see it: the reason only for care roles."""
    with get_db().read() as db:
        appointment = db.get(Appointment, appointment_id)
        assert appointment is not None  # only called for an appointment just found or made
        reason = None
        if caller().role in CARE_ROLES:
            reason = reason_word(clinical_of(appointment, get_vault()).reason) or None
        resource = resources.appointment_resource(appointment, site_tz(), reason)
    headers = {}
    if status == 201:
        headers["Location"] = url_for(
            ".read_appointment", resource_id=appointment_id, _external=True
        )
    return resource_response(resource, status, headers)


def _idempotency_key() -> str:
    """The stored key: the client's Idempotency-Key (or a fresh one), scoped to its token."""
    given = request.headers.get("Idempotency-Key")
    if given is None:
        given = secrets.token_urlsafe(24)
    elif not IDEMPOTENCY_KEY.fullmatch(given):
        raise Invalid("Idempotency-Key: 1 to 200 letters, digits, '.', '_', ':' or '-'.")
    # Scoped to the token, so two clients choosing the same key never see each other's booking;
    # hashed, so any length fits the 64-character column.
    return hashlib.sha256(f"fhir\0{caller().id}\0{given}".encode()).hexdigest()


@route("/Appointment", "POST")
@require("staff")
def create_appointment() -> Response:
    """Book a slot for a stored patient: 201, or 409 if the slot is taken."""
    wanted = booking_request(read_resource(FhirAppointment))
    key = _idempotency_key()
    now = utcnow()
    database = get_db()
    with database.read() as db:
        earlier = db.scalar(select(Appointment).where(Appointment.idempotency_key == key))
        if earlier is None:
            _check_booking(db, wanted, now)
    appointment = earlier
    if appointment is None:
        try:
            appointment = store.book_for_patient(
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
            raise _taken() from None
        except store.UnknownPatient:
            raise Invalid("Appointment.participant: no Patient has this id.") from None
    if (appointment.slot_id, appointment.patient_id) != (wanted.slot_id, wanted.patient_id):
        raise Unprocessable("This Idempotency-Key was already used for another booking.")
    return _appointment_response(appointment.id, 201)


def _taken() -> FhirError:
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
        raise _taken()


@route("/Appointment/<resource_id>", "GET")
@require(*READERS)
def read_appointment(resource_id: str) -> Response:
    """One appointment."""
    database = get_db()
    with database.read() as db:
        appointment = get_or_404(db, Appointment, resource_id, "Appointment")
        pseudonym = appointment.patient.pseudonym
    store.audit(database, actor(), "appointment.read", pseudonym, utcnow())
    return _appointment_response(appointment.id)


@route("/Appointment/<resource_id>", "PATCH")
@require("staff")
def cancel_appointment(resource_id: str) -> Response:
    """Cancel, with the JSON Patch ``[{"op": "replace", "path": "/status", "value": "cancelled"}]``.

    Cancelling a cancelled appointment answers 200 again: the wanted state is reached.
    """
    if read_json((PATCH_TYPE,)) != CANCEL_PATCH:
        raise Invalid(f"The only change possible is the JSON Patch {CANCEL_PATCH}.")
    database = get_db()
    with database.read() as db:
        appointment = get_or_404(db, Appointment, resource_id, "Appointment")
    if appointment.status != "cancelled":
        try:
            cancel(database, appointment.code, actor(), utcnow())
        except AppointmentNotFound:
            with database.read() as db:
                status = db.get(Appointment, appointment.id).status  # type: ignore[union-attr]
            # Cancelled meanwhile by someone else: the wanted state is reached all the same.
            if status != "cancelled":
                raise Conflict(
                    "This appointment can no longer be cancelled (it is past or finished)."
                ) from None
    return _appointment_response(appointment.id)
