"""The FHIR API's blueprint and its error handlers: every error is an OperationOutcome."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from kiosk.fhir.outcome import FhirError, error_response, outcome, resource_response

bp = Blueprint("fhir", __name__, url_prefix="/fhir")

# FHIR issue types for the HTTP errors Flask itself may raise inside the API.
HTTP_ISSUES = {404: "not-found", 405: "not-supported", 413: "too-long", 415: "not-supported"}


@bp.errorhandler(FhirError)
def _fhir_error(error: FhirError) -> Response:
    return error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    text = "The request is too large." if code == 413 else "This request cannot be served."
    return resource_response(outcome(HTTP_ISSUES.get(code, "invalid"), text), code)


@bp.errorhandler(500)
@bp.errorhandler(Exception)
def _server_error(error: Exception) -> Response:
    # Details go to the server log only; the client learns that it was not its fault.
    current_app.logger.exception("fhir: unhandled error on %s", request.path, exc_info=error)
    return resource_response(
        outcome("exception", "The server could not answer; try again later."), 500
    )
