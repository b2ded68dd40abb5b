"""A FHIR R4 API for schedulers and records (issue 4 item 10, DESIGN.md "Interoperability").

Everything is JSON (``application/fhir+json``), under ``/fhir``, with a bearer token
(``Authorization: Bearer <token>``, created with ``kiosk token create --role staff|doctor``).
Without a live token the answer is 401 with ``WWW-Authenticate: Bearer``; with a role that may
not do something it is 403. Resources are built and checked with the ``fhir.resources`` R4B
models (R4B is the R4 revision shipped by fhir.resources 8; these resources are the same in R4).

============================================  =============  ===============================
Interaction                                   Roles          Answer
============================================  =============  ===============================
``GET /fhir/metadata``                        anyone         CapabilityStatement
``GET /fhir/Slot?status=free&start=ge...``    staff, doctor  searchset Bundle of Slots
``GET /fhir/Slot|Schedule|Practitioner/{id}`` staff, doctor  the resource
``POST /fhir/Patient``                        staff          201 Patient, Location
``GET /fhir/Patient/{id}``                    staff, doctor  Patient
``POST /fhir/Appointment``                    staff          201 Appointment, 409 if taken
``GET /fhir/Appointment/{id}``                staff, doctor  Appointment
``PATCH /fhir/Appointment/{id}``              staff          200 Appointment, cancelled
============================================  =============  ===============================

Decisions:

- **Who sees what.** Booking, cancelling and creating patients are staff work (a pharmacist's
  scheduler, a municipal agenda). Doctors read. The NIR and the reason for the visit are for
  care only (SECURITY.md item 19): only doctor tokens get them back. For a staff token the
  NIR is left out and the Patient is marked ``meta.security`` REDACTED; the reason is left out
  of the Appointment. The phone number is given to both, to reach the person.
- **Booking** names ``slot: [{reference: "Slot/12"}]`` and a participant ``Patient/ID`` (a
  Practitioner participant, if any, must be the slot's; ``start``/``end``, if any, the slot's).
  ``status`` may be proposed, pending or booked; the result is booked. ``reasonCode`` text is
  stored encrypted. The booking is made for that stored patient, with the same transaction
  rules as the kiosk (see ``kiosk.fhir.store``). A taken or past slot is 409.
- **Retries.** An ``Idempotency-Key`` header makes a retried POST return the same appointment
  (201 again, one row). Keys are scoped to the token; reusing one for another slot or patient
  is 422. Without the header each POST is a new booking attempt.
- **Cancelling** is ``PATCH /fhir/Appointment/{id}`` with ``Content-Type:
  application/json-patch+json`` and exactly ``[{"op": "replace", "path": "/status", "value":
  "cancelled"}]``; any other patch is 400. The slot is free again. Cancelling twice is 200.
- **Patients** are created from name (family, given), a full birthDate, optionally the NIR in
  ``identifier`` with system ``urn:oid:1.2.250.1.213.1.4.8`` (key checked), optionally one
  French phone number in ``telecom``, and ``gender`` when there is no NIR. Other identifier
  systems and telecom kinds are refused (400) rather than silently dropped; other elements are
  not stored, and the 201 answer shows what was kept.
- **Errors** are OperationOutcomes with a plain sentence that names the field, never its value
  (bodies may hold a NIR). Bad JSON, the wrong resourceType, missing or malformed fields, a bad
  NIR key, an unknown slot or patient: 400. Unknown paths: 404; wrong method: 405.
- **Audit** (SECURITY.md item 17): bookings, cancellations and patient creations, and every
  read of an Appointment or a Patient, write an audit row whose actor is ``api:<token name>``
  and whose subject is the patient's pseudonym. Nothing logs a body, a NIR or a token.
- Times are written with the site's UTC offset; search dates without a time are site-local days.
"""

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


# Importing the views registers their routes; then each path gets its 405 for other methods.
from kiosk.fhir import appointments, routing, views  # noqa: E402,F401

routing.finish_routes()
