"""Stored records as FHIR R4 resources (built with the ``fhir.resources.R4B`` models).

Each function builds a plain dict and has the model validate it, so nothing leaves the API that
``fhir.resources`` would refuse. R4B is the R4 revision that ``fhir.resources`` 8 ships; Slot,
Schedule, Appointment, Patient, Practitioner, Bundle and OperationOutcome have the same
elements in R4 (4.0.1) and R4B.

A practitioner has one Schedule, with the same id: ``Schedule/7`` is Dr X's agenda and
``Practitioner/7`` is Dr X. Blood-pressure readings are built in ``kiosk.fhir.bp_panel``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner as FhirPractitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot as FhirSlot

from kiosk.core.records import Appointment, Patient, Practitioner, Slot

# INS-NIR: the French national health identifier (NIR used as INS), as the ANS names it.
NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
# The kiosk's 6-character booking code: what the person has on their ticket. A stable name:
# clients search appointments with it (identifier=urn:kiosk:booking-code|K7MX2P).
CODE_SYSTEM = "urn:kiosk:booking-code"
# A doctor's RPPS number, and the national professional id built from it ("8" + RPPS), as the
# ANS directory (Annuaire Santé) and FR Core write them.
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
FR_IDENTIFIER_TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
# Marks a resource from which something was withheld (here: the NIR, for roles without care use).
REDACTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "REDACTED",
    "display": "redacted",
}
GENDERS = {"F": "female", "M": "male"}


def instant(moment: datetime, tz: tzinfo) -> str:
    """An aware time as ISO 8601 with the site's UTC offset (readable, and still exact)."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


def doctor_name(practitioner: Practitioner) -> str:
    """How a practitioner is shown in a reference's display."""
    return f"Dr {practitioner.first_name} {practitioner.surname}"


def slot_resource(slot: Slot, busy: bool, tz: tzinfo) -> FhirSlot:
    """A Slot: its practitioner's schedule, start, end, and free or busy."""
    return FhirSlot.model_validate(
        {
            "resourceType": "Slot",
            "id": str(slot.id),
            "schedule": {"reference": f"Schedule/{slot.practitioner_id}"},
            "status": "busy" if busy else "free",
            "start": instant(slot.starts_at, tz),
            "end": instant(slot.ends_at, tz),
        }
    )


def schedule_resource(practitioner: Practitioner) -> Schedule:
    """The Schedule of a practitioner (one each, same id)."""
    return Schedule.model_validate(
        {
            "resourceType": "Schedule",
            "id": str(practitioner.id),
            "active": practitioner.active,
            "specialty": [{"text": practitioner.specialty}],
            "actor": [
                {
                    "reference": f"Practitioner/{practitioner.id}",
                    "display": doctor_name(practitioner),
                }
            ],
        }
    )


def practitioner_identifiers(rpps: str) -> list[dict[str, Any]]:
    """The RPPS number and the national professional id (IDNPS) made from it."""

    def typed(code: str, system: str, value: str) -> dict[str, Any]:
        kind = {"coding": [{"system": FR_IDENTIFIER_TYPES, "code": code}]}
        return {"use": "official", "type": kind, "system": system, "value": value}

    return [typed("RPPS", RPPS_SYSTEM, rpps), typed("IDNPS", IDNPS_SYSTEM, "8" + rpps)]


def practitioner_resource(practitioner: Practitioner) -> FhirPractitioner:
    """A practitioner: RPPS number (if known), name, and whether they still consult."""
    data: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(practitioner.id),
        "active": practitioner.active,
        "name": [
            {
                "use": "official",
                "family": practitioner.surname,
                "given": practitioner.first_name.split(),
                "prefix": ["Dr"],
            }
        ],
    }
    if practitioner.rpps:
        data["identifier"] = practitioner_identifiers(practitioner.rpps)
    return FhirPractitioner.model_validate(data)


def appointment_resource(
    appointment: Appointment, tz: tzinfo, reason: str | None = None
) -> FhirAppointment:
    """An Appointment; ``reason`` (health data) only when the caller may see it.

    ``meta.versionId`` is the appointment's version: a client sends it back in If-Match.
    """
    slot = appointment.slot
    data: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(appointment.id),
        "meta": {"versionId": str(appointment.version or 1)},  # 1 until first stored
        "identifier": [{"system": CODE_SYSTEM, "value": appointment.code}],
        "status": appointment.status,
        "start": instant(slot.starts_at, tz),
        "end": instant(slot.ends_at, tz),
        "minutesDuration": max(1, int((slot.ends_at - slot.starts_at).total_seconds() // 60)),
        "created": instant(appointment.created_at, tz),
        "slot": [{"reference": f"Slot/{slot.id}"}],
        "participant": [
            {
                # No name in the display: the reference is enough, and names travel less.
                "actor": {"reference": f"Patient/{appointment.patient_id}"},
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {
                    "reference": f"Practitioner/{slot.practitioner_id}",
                    "display": doctor_name(slot.practitioner),
                },
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if reason:
        data["reasonCode"] = [{"text": reason}]
    return FhirAppointment.model_validate(data)


def patient_resource(
    patient: Patient, *, nir: str | None, phone: str | None, nir_withheld: bool
) -> FhirPatient:
    """A Patient: name, birth date, and the NIR and phone number that were decrypted for it.

    ``nir_withheld`` marks the resource REDACTED: it has a NIR this caller may not see.
    """
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.id),
        "name": [
            {"use": "official", "family": patient.surname, "given": patient.first_name.split()}
        ],
        "birthDate": patient.birth_date.isoformat(),
    }
    if nir:
        data["identifier"] = [{"use": "official", "system": NIR_SYSTEM, "value": nir}]
    if nir_withheld:
        data["meta"] = {"security": [REDACTED]}
    if patient.sex in GENDERS:
        data["gender"] = GENDERS[patient.sex]
    if phone:
        data["telecom"] = [{"system": "phone", "value": phone}]
    return FhirPatient.model_validate(data)


def searchset(
    entries: list[tuple[str, Any, str]], total: int, self_url: str, next_url: str | None
) -> Bundle:
    """A searchset Bundle of (full URL, resource, search mode) entries, with self and next
    links. The mode is "match" for what the search found, "include" for what ``_include``
    added."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "link": links,
            "entry": [
                {"fullUrl": url, "resource": resource, "search": {"mode": mode}}
                for url, resource, mode in entries
            ],
        }
    )
