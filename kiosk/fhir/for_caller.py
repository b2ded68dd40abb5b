"""What this API caller may see of a record, as a FHIR resource: health data (the reason, the
NIR) only for care roles. The resource modules (``patients``, ``appointments``,
``appointment_status``, ``observations``) all answer with these."""

from __future__ import annotations

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.patient import Patient as FhirPatient
from flask import Response, url_for

from kiosk.booking.questions import reason_word
from kiosk.booking.service import clinical_of
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Patient
from kiosk.fhir import resources
from kiosk.fhir.auth import caller
from kiosk.fhir.outcome import resource_response
from kiosk.fhir.routing import CARE_ROLES
from kiosk.security.vault import get_vault


def patient_for_caller(patient: Patient) -> FhirPatient:
    """The Patient as the caller may see it: the NIR only for care roles (else REDACTED)."""
    vault = get_vault()
    sees_nir = caller().role in CARE_ROLES
    nir = vault.decrypt(patient.nir_token) if sees_nir and patient.nir_token else None
    phone = vault.decrypt(patient.phone_token) if patient.phone_token else None
    return resources.patient_resource(
        patient, nir=nir, phone=phone, nir_withheld=bool(patient.nir_token) and not sees_nir
    )


def appointment_for_caller(appointment: Appointment) -> FhirAppointment:
    """The Appointment as this caller may see it: the reason only for care roles."""
    reason = None
    if caller().role in CARE_ROLES:
        reason = reason_word(clinical_of(appointment, get_vault()).reason) or None
    return resources.appointment_resource(appointment, site_tz(), reason)


def etag(appointment: Appointment) -> str:
    return f'W/"{appointment.version}"'


def appointment_response(appointment_id: int, status: int = 200) -> Response:
    """The Appointment as this caller may see it, with its ETag (and Location when made)."""
    with get_db().read() as db:
        appointment = db.get(Appointment, appointment_id)
        assert appointment is not None  # only called for an appointment just found or made
        headers = {"ETag": etag(appointment)}
        resource = appointment_for_caller(appointment)
    if status == 201:
        headers["Location"] = url_for(
            ".read_appointment", resource_id=appointment_id, _external=True
        )
    return resource_response(resource, status, headers)
