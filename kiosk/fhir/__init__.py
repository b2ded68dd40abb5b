"""A FHIR R4 API for schedulers, records and (later) kiosk units (DESIGN.md "Interoperability",
FLEET.md "The unit API").

Everything is JSON (``application/fhir+json``), under ``/fhir``, with a bearer token
(``Authorization: Bearer <token>``, made with ``kiosk token create --role staff`` or
``kiosk token create --role doctor --practitioner <RPPS or id>``). Without a live token the
answer is 401 with ``WWW-Authenticate: Bearer``; with a role that may not do something, 403.
Resources are built and checked with the ``fhir.resources`` R4B models (R4B is the R4 revision
shipped by fhir.resources 8; these resources are the same in R4); ``GET /fhir/metadata`` says
``fhirVersion`` 4.0.1 and is built from the routes themselves (``kiosk.fhir.capability``).

Interactions (roles that may use them, and the answer):

- ``GET /fhir/metadata`` (anyone): the CapabilityStatement.
- ``GET /fhir/Slot?schedule=&status=&start=``, ``GET /fhir/Schedule?actor=``,
  ``GET /fhir/Practitioner?name=&identifier=`` (staff, doctor): searchset Bundles;
  ``GET /fhir/Slot|Schedule|Practitioner/{id}``: the resource.
- ``POST /fhir/Patient`` (staff): 201 Patient; with ``If-None-Exist``, 200 and the one it finds.
  ``GET /fhir/Patient?identifier=`` or ``?family=&birthdate=``, ``GET /fhir/Patient/{id}``
  (staff, doctor).
- ``POST /fhir/Appointment`` (staff): 201 Appointment, 409 if the slot is taken.
  ``GET /fhir/Appointment?date=&status=&practitioner=&patient=&identifier=``,
  ``GET /fhir/Appointment/{id}`` (staff, doctor). ``PUT`` and ``PATCH /fhir/Appointment/{id}``
  (staff): 200 Appointment with its new status, 412 under a stale ``If-Match``.
- ``POST /fhir/Observation`` (staff): 201 OperationOutcome naming the stored reading.
  ``GET /fhir/Observation?patient=&code=&date=``, ``GET /fhir/Observation/{id}`` (doctor).

Decisions:

- **Who sees what** (SECURITY.md items 19 and 26, ``kiosk.fhir.scope``). Booking, changing an
  appointment's status, creating patients and sending readings are staff work (a pharmacist's
  scheduler, a municipal agenda, later a unit). A staff token never gets a NIR (the Patient is
  marked ``meta.security`` REDACTED instead), a reason for a visit, or a reading (403 on
  Observation reads and searches; its POST of a reading is answered with an OperationOutcome,
  not the values). A doctor token reads, and is bound to one practitioner: it reaches only that
  doctor's appointments (any status), the patients who have one, and the readings kept for
  one. Anything else answers 404, for reads and searches alike, the same as an unknown id. A
  doctor token made before tokens were bound reaches nothing (403, with the command that makes
  a bound one). Slots, schedules and practitioners are public to every token. Phone numbers go
  to both roles, to reach the person.
- **Search** (``kiosk.fhir.params``): FHIR R4's rules, ``searchset`` Bundles with ``total``,
  ``self`` and ``next`` links (``_count`` 1 to 200, default 50, and ``_offset``), and the
  ``_include`` values the CapabilityStatement lists (Slot:schedule, Schedule:actor,
  Appointment:patient, Appointment:practitioner, Observation:patient). A parameter the search
  does not know is 400, unless ``Prefer: handling=lenient``. Patients are found by INS-NIR, or
  by family and birth date together, never by a name alone. Every search also answers
  ``POST /fhir/<Type>/_search`` with a form body: a NIR then stays out of URLs and proxy logs.
- **Identifiers.** Patients: the INS-NIR, system ``urn:oid:1.2.250.1.213.1.4.8``. Appointments:
  the 6-character booking code on the person's ticket, system ``urn:kiosk:booking-code``
  (stable: search ``identifier=urn:kiosk:booking-code|K7MX2P``). Practitioners: the RPPS
  number, system ``https://rpps.esante.gouv.fr``, and the national id made from it ("8" +
  RPPS), system ``urn:oid:1.2.250.1.71.4.2.1``, as the ANS directory writes them.
- **Booking** names ``slot: [{reference: "Slot/12"}]`` and a participant ``Patient/ID`` (a
  Practitioner participant, if any, must be the slot's; ``start``/``end``, if any, the slot's).
  ``status`` may be proposed, pending or booked; the result is booked. ``reasonCode`` text is
  stored encrypted. The booking is made for that stored patient, with the same transaction
  rules as the kiosk (see ``kiosk.fhir.writes``). A taken or past slot is 409.
- **Retries.** An ``Idempotency-Key`` header makes a retried POST of an Appointment or an
  Observation return the first one (201 again, one row). Keys are scoped to the token; reusing
  one for another booking or reading is 422. A retried Patient create uses ``If-None-Exist``.
- **Patients** are created from name (family, given), a full birthDate, optionally the NIR in
  ``identifier`` (key checked), optionally one French phone number in ``telecom``, and
  ``gender`` when there is no NIR. Other identifier systems and telecom kinds are refused (400)
  rather than silently dropped; other elements are not stored, and the answer shows what was
  kept. With ``If-None-Exist: identifier=urn:oid:1.2.250.1.213.1.4.8|<NIR>`` (or any Patient
  search) the one patient it finds is the answer (200, nothing stored); several is 412.
- **Status changes** (``kiosk.booking.service.change_status``): check in (checked-in), arrived,
  fulfilled, noshow, cancelled, with ``PUT`` of the whole Appointment (only ``status`` may
  differ from what the server has: else 422) or ``PATCH`` with ``Content-Type:
  application/json-patch+json`` and exactly ``[{"op": "replace", "path": "/status", "value":
  "<status>"}]``. Cancelling frees the slot, and is refused (409) once the appointment is past
  or finished; other impossible changes (out of cancelled) are 409 too. Asking for the status
  it already has is 200 and changes nothing. Moving an appointment is not a status change:
  cancel and book.
- **Versions.** An appointment's ``meta.versionId`` (and ``ETag: W/"<n>"``) goes up at every
  change, whoever makes it (the kiosk's check-in, the doctor's page, the API). A PUT or PATCH
  with ``If-Match: W/"<n>"`` of an older version is 412 and changes nothing.
- **Readings** (``kiosk.fhir.bp_panel``) are the LOINC 85354-9 panel with 8480-6 systolic,
  8462-4 diastolic (mm[Hg]) and 8867-4 heart rate (/min), as the kiosk records them. A POST
  names the ``subject`` Patient and the ``effectiveDateTime``; the reading is kept for that
  patient's appointment of that day (none: 422), since the kiosk keeps readings only for a
  doctor (SECURITY.md item 18). Values outside what a body can show are 400.
- **Errors** are OperationOutcomes with a plain sentence that names the field, never its value
  (bodies may hold a NIR). Bad JSON, the wrong resourceType, missing or malformed fields, a bad
  NIR key, an unknown slot or patient, an unknown search parameter: 400. Unknown paths and
  records out of scope: 404; wrong method: 405; a stale If-Match: 412; a slot taken: 409.
- **Audit** (SECURITY.md item 17): bookings, status changes, patient creations and readings
  sent, every read of an Appointment, a Patient or an Observation, and every search that
  returns some (one row per person returned, action ``<resource>.searched``) write an audit
  row whose actor is ``api:<token name>`` and whose subject is the patient's pseudonym.
  Nothing logs a body, a NIR or a token.
- Times are written with the site's UTC offset; search dates without a time are site-local days.
"""

from __future__ import annotations

# Importing the views registers their routes; then each path gets its 405 for other methods.
from kiosk.fhir import (  # noqa: F401
    appointment_status,
    appointments,
    capability,
    observations,
    patients,
    routing,
    views,
)
from kiosk.fhir.blueprint import bp

routing.finish_routes()

__all__ = ["bp"]
