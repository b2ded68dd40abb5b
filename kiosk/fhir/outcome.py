"""FHIR answers: resources as ``application/fhir+json`` and errors as OperationOutcome.

Every error of the API is a ``FhirError`` carrying the HTTP status, the FHIR issue type and a
plain sentence for the integrator. The sentence never repeats what was sent: a body may hold a
NIR or a name, and error texts end up in client logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource
from flask import Response

MEDIA_TYPE = "application/fhir+json"
PATCH_TYPE = "application/json-patch+json"


class FhirError(Exception):
    """An API request that cannot be served; becomes an OperationOutcome."""

    status = 400
    code = "invalid"

    def __init__(self, diagnostics: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics
        self.headers = dict(headers or {})


class Invalid(FhirError):
    """The request is malformed or names something that does not exist (400)."""


class Unauthenticated(FhirError):
    """No usable bearer token (401)."""

    status = 401
    code = "login"


class Forbidden(FhirError):
    """The token's role may not do this (403)."""

    status = 403
    code = "forbidden"


class NotFound(FhirError):
    """No such resource (404)."""

    status = 404
    code = "not-found"


class MethodNotAllowed(FhirError):
    """The resource exists but not with this HTTP method (405)."""

    status = 405
    code = "not-supported"


class Conflict(FhirError):
    """The request clashes with the current state, e.g. a slot already taken (409)."""

    status = 409
    code = "conflict"


class PreconditionFailed(FhirError):
    """An If-Match names a version that is no longer the current one, or a conditional create
    matches several records (412)."""

    status = 412
    code = "conflict"


class Unprocessable(FhirError):
    """Well-formed, but it breaks a business rule, e.g. a reused Idempotency-Key (422)."""

    status = 422
    code = "business-rule"


class UnsupportedMediaType(FhirError):
    """The body is not in a format this endpoint reads (415)."""

    status = 415
    code = "not-supported"


def resource_response(
    resource: Resource, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A validated resource as the HTTP answer."""
    response = Response(
        resource.model_dump_json(exclude_none=True),
        status=status,
        content_type=f"{MEDIA_TYPE}; charset=utf-8",
    )
    response.headers.update(dict(headers or {}))
    return response


def outcome(code: str, diagnostics: str, severity: str = "error") -> OperationOutcome:
    """An OperationOutcome with one issue."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [issue]})


def error_response(error: FhirError) -> Response:
    """The OperationOutcome answer for a FhirError."""
    return resource_response(outcome(error.code, error.diagnostics), error.status, error.headers)
