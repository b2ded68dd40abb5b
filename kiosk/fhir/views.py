"""The FHIR API's read endpoints, patients, and the fallbacks; appointments are in
``kiosk.fhir.appointments``. The interactions and the role rules are listed in ``kiosk.fhir``.
"""

from __future__ import annotations

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.patient import Patient as FhirPatient
from flask import Response, request, url_for

from kiosk.booking import slots as kiosk_slots
from kiosk.db import get_db
from kiosk.fhir import bp, resources, search, store
from kiosk.fhir.auth import actor, caller, require
from kiosk.fhir.outcome import PATCH_TYPE, NotFound, resource_response
from kiosk.fhir.parse import patient_entry, read_resource
from kiosk.fhir.routing import CARE_ROLES, METHODS, READERS, get_or_404, route, site_tz
from kiosk.models import Patient, Practitioner, Slot, utcnow
from kiosk.vault import get_vault


@route("/metadata", "GET")
def metadata() -> Response:
    """The CapabilityStatement: what this server does (public, as FHIR expects)."""
    read = [{"code": "read"}]
    statement = CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-01-01",
            "kind": "instance",
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "patchFormat": [PATCH_TYPE],
            "rest": [
                {
                    "mode": "server",
                    "security": {"description": "Authorization: Bearer <token> (staff, doctor)"},
                    "resource": [
                        {
                            "type": "Slot",
                            "interaction": [*read, {"code": "search-type"}],
                            "searchParam": [
                                {"name": "status", "type": "token"},
                                {"name": "start", "type": "date"},
                                {"name": "schedule", "type": "reference"},
                            ],
                        },
                        {"type": "Schedule", "interaction": read},
                        {"type": "Practitioner", "interaction": read},
                        {
                            "type": "Appointment",
                            "interaction": [*read, {"code": "create"}, {"code": "patch"}],
                        },
                        {"type": "Patient", "interaction": [*read, {"code": "create"}]},
                    ],
                }
            ],
        }
    )
    return resource_response(statement)


@route("/Slot", "GET")
@require(*READERS)
def search_slots() -> Response:
    """Search slots (see kiosk.fhir.search for the parameters); a searchset Bundle."""
    tz = site_tz()
    query = search.slot_query(request.args, tz)
    with get_db().read() as db:
        found, total = search.search_slots(db, query, utcnow())
    entries = [
        (
            url_for(".read_slot", resource_id=slot.id, _external=True),
            resources.slot_resource(slot, busy, tz),
        )
        for slot, busy in found
    ]
    next_url = None
    if query.offset + len(found) < total:
        args = request.args.to_dict(flat=False)
        args.update(_offset=[str(query.offset + query.count)], _count=[str(query.count)])
        next_url = url_for(".search_slots", _external=True, **args)
    return resource_response(resources.searchset(entries, total, request.url, next_url))


@route("/Slot/<resource_id>", "GET")
@require(*READERS)
def read_slot(resource_id: str) -> Response:
    """One slot: free while the kiosk would still offer it, else busy (taken, or too late)."""
    with get_db().read() as db:
        slot = get_or_404(db, Slot, resource_id, "Slot")
        busy = not kiosk_slots.is_free(db, slot.id, utcnow())
        return resource_response(resources.slot_resource(slot, busy, site_tz()))


@route("/Schedule/<resource_id>", "GET")
@require(*READERS)
def read_schedule(resource_id: str) -> Response:
    """A practitioner's schedule."""
    with get_db().read() as db:
        return resource_response(
            resources.schedule_resource(get_or_404(db, Practitioner, resource_id, "Schedule"))
        )


@route("/Practitioner/<resource_id>", "GET")
@require(*READERS)
def read_practitioner(resource_id: str) -> Response:
    """A practitioner."""
    with get_db().read() as db:
        return resource_response(
            resources.practitioner_resource(
                get_or_404(db, Practitioner, resource_id, "Practitioner")
            )
        )


@route("/Patient", "POST")
@require("staff")
def create_patient() -> Response:
    """Store a patient (identity checked, NIR key checked): 201."""
    today = utcnow().astimezone(site_tz()).date()
    entry = patient_entry(read_resource(FhirPatient), today)
    patient = store.create_patient(get_db(), get_vault(), entry, actor(), utcnow())
    response = _patient_response(patient)
    response.status_code = 201
    response.headers["Location"] = url_for(".read_patient", resource_id=patient.id, _external=True)
    return response


@route("/Patient/<resource_id>", "GET")
@require(*READERS)
def read_patient(resource_id: str) -> Response:
    """A patient; the NIR only for care roles (marked REDACTED for the others)."""
    database = get_db()
    with database.read() as db:
        patient = get_or_404(db, Patient, resource_id, "Patient")
    store.audit(database, actor(), "patient.read", patient.pseudonym, utcnow())
    return _patient_response(patient)


def _patient_response(patient: Patient) -> Response:
    vault = get_vault()
    sees_nir = caller().role in CARE_ROLES
    nir = vault.decrypt(patient.nir_token) if sees_nir and patient.nir_token else None
    phone = vault.decrypt(patient.phone_token) if patient.phone_token else None
    resource = resources.patient_resource(
        patient, nir=nir, phone=phone, nir_withheld=bool(patient.nir_token) and not sees_nir
    )
    return resource_response(resource)


@bp.route("/", defaults={"rest": ""}, methods=list(METHODS))
@bp.route("/<path:rest>", methods=list(METHODS))
def unknown(rest: str) -> Response:
    """Anything else under /fhir: a 404 OperationOutcome rather than the kiosk's HTML page."""
    raise NotFound("This server has no such resource or operation; see /fhir/metadata.")
