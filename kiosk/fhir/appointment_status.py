"""Changing an appointment's status through the FHIR API: ``PUT`` of the whole Appointment or
the JSON Patch ``[{"op": "replace", "path": "/status", "value": <status>}]``, under an optional
``If-Match`` (rules in ``kiosk.fhir``; the transitions are ``kiosk.booking.service``'s)."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from flask import Response, request

from kiosk.booking.service import (
    NEXT_STATUSES,
    AppointmentNotFound,
    StatusNotChangeable,
    VersionConflict,
    change_status,
)
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, utcnow
from kiosk.fhir import resources, scope
from kiosk.fhir.auth import actor, require
from kiosk.fhir.for_caller import appointment_response
from kiosk.fhir.outcome import (
    PATCH_TYPE,
    Conflict,
    Invalid,
    NotFound,
    PreconditionFailed,
    Unprocessable,
)
from kiosk.fhir.parse import no_query, read_json, read_resource
from kiosk.fhir.routing import get_or_404, route

# What If-Match holds: the ETag as it was given (W/"3"), or the bare version.
ETAG = re.compile(r'(?:W/)?"([1-9][0-9]{0,8})"|([1-9][0-9]{0,8})', re.ASCII)


def _if_match() -> int | None:
    """The version the client's If-Match names, if it sent one (``*``: any version)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    found = ETAG.fullmatch(header.strip())
    if found is None:
        raise Invalid('If-Match must hold the version as the ETag gives it, e.g. W/"3".')
    return int(found.group(1) or found.group(2))


def _change(resource_id: str, status: str | None) -> Response:
    """Set the status of an appointment the caller reaches, under the If-Match version."""
    if status not in NEXT_STATUSES:
        raise Invalid(
            f"Appointment.status may only become one of {', '.join(NEXT_STATUSES)}; use the "
            'JSON Patch [{"op": "replace", "path": "/status", "value": "<status>"}] or a PUT.'
        )
    version = _if_match()
    database = get_db()
    with database.read() as db:
        appointment = get_or_404(db, Appointment, resource_id, "Appointment", scope.appointments())
    try:
        change_status(database, appointment.id, status, actor(), utcnow(), version)
    except VersionConflict:
        raise PreconditionFailed(
            "This appointment has changed since that version: read it again, then send the "
            "change with the new ETag in If-Match."
        ) from None
    except StatusNotChangeable as exc:
        if status == "cancelled":
            raise Conflict(
                "This appointment can no longer be cancelled (it is past or finished)."
            ) from None
        raise Conflict(f"This appointment is {exc}: it cannot become {status}.") from None
    except AppointmentNotFound:
        raise NotFound("No Appointment has this id.") from None
    return appointment_response(appointment.id)


def _refs(references: Any) -> set[str]:
    return {r.reference for r in references or [] if r is not None and r.reference}


def _check_only_status_changes(given: FhirAppointment, resource_id: str) -> None:
    """A PUT may change the status only: everything else must be as the server has it."""
    with get_db().read() as db:
        appointment = get_or_404(db, Appointment, resource_id, "Appointment", scope.appointments())
        stored = resources.appointment_resource(appointment, site_tz())
    same = (
        _refs(given.slot) == _refs(stored.slot)
        and _refs(p.actor for p in given.participant or []) ==
        _refs(p.actor for p in stored.participant)
        and given.start in (None, stored.start)
        and given.end in (None, stored.end)
        and all(
            (i.system, i.value) == (resources.CODE_SYSTEM, appointment.code)
            for i in given.identifier or []
        )
    )
    if not same:
        raise Unprocessable(
            "Only Appointment.status can change here: slot, participants, start, end and "
            "identifier stay as they are. To move an appointment, cancel it and book a slot."
        )


@route("/Appointment/<resource_id>", "PUT", "update")
@require("staff")
def update_appointment(resource_id: str) -> Response:
    """The whole Appointment sent back with a new status (see ``NEXT_STATUSES``)."""
    no_query()
    given = read_resource(FhirAppointment)
    if given.id != resource_id:
        raise Invalid("Appointment.id must be the id in the URL.")
    _check_only_status_changes(given, resource_id)
    return _change(resource_id, given.status)


@route("/Appointment/<resource_id>", "PATCH", "patch")
@require("staff")
def patch_appointment(resource_id: str) -> Response:
    """The JSON Patch ``[{"op": "replace", "path": "/status", "value": <status>}]``.

    Asking for the status it already has answers 200 again: the wanted state is reached.
    """
    no_query()
    patch = read_json((PATCH_TYPE,))
    operation = patch[0] if isinstance(patch, list) and len(patch) == 1 else None
    if not (
        isinstance(operation, dict)
        and set(operation) == {"op", "path", "value"}
        and (operation["op"], operation["path"]) == ("replace", "/status")
        and isinstance(operation["value"], str)
    ):
        raise Invalid(
            'The only change possible is the JSON Patch [{"op": "replace", "path": "/status", '
            f'"value": <status>}}], the status one of {", ".join(NEXT_STATUSES)}.'
        )
    return _change(resource_id, operation["value"])

