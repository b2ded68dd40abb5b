"""``GET /fhir/metadata``: the CapabilityStatement, built from what is routed.

The interactions come from ``kiosk.fhir.routing.INTERACTIONS`` (each view declares the one it
serves) and the search parameters and includes from ``kiosk.fhir.params.SPECS`` (each search
declares its spec): the statement cannot list something the server does not do, nor miss
something it does.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from flask import Response, url_for

from kiosk.fhir.outcome import MEDIA_TYPE, PATCH_TYPE, resource_response
from kiosk.fhir.params import SPECS
from kiosk.fhir.routing import INTERACTIONS, route

# Patient is the only type whose create honours If-None-Exist (kiosk.fhir.patients).
CONDITIONAL_CREATE = ("Patient",)
SECURITY = (
    "Authorization: Bearer <token>, made with `kiosk token create`. A staff token books, "
    "cancels and sends readings; it never gets a NIR, a reason for a visit, or a reading. A "
    "doctor token is bound to one practitioner and reaches only that doctor's appointments, "
    "their patients and their readings; anything else answers 404."
)


def _resource(kind: str, interactions: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": kind,
        "interaction": [{"code": code} for code in dict.fromkeys(interactions)],
        # Only appointments carry a version (meta.versionId, ETag, If-Match on PUT and PATCH).
        "versioning": "versioned-update" if "update" in interactions else "no-version",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": kind in CONDITIONAL_CREATE,
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
    }
    spec = SPECS.get(kind)
    if spec is not None and "search-type" in interactions:
        entry["searchParam"] = [
            {"name": p.name, "type": p.type, "documentation": p.documentation}
            for p in spec.params
        ]
        if spec.includes:
            entry["searchInclude"] = list(spec.includes)
    return entry


@route("/metadata", "GET")
def metadata() -> Response:
    """The CapabilityStatement: what this server does (public, as FHIR expects)."""
    statement = CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-30",
            "kind": "instance",
            "implementation": {
                "description": "Teleconsultation kiosk: scheduling, patients and blood pressure",
                "url": url_for(".metadata", _external=True).removesuffix("/metadata"),
            },
            "fhirVersion": "4.0.1",
            "format": [MEDIA_TYPE],
            "patchFormat": [PATCH_TYPE],
            "rest": [
                {
                    "mode": "server",
                    "security": {"description": SECURITY},
                    "resource": [_resource(k, v) for k, v in sorted(INTERACTIONS.items())],
                }
            ],
        }
    )
    return resource_response(statement)
