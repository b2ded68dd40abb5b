"""Reading what clients send: JSON bodies, FHIR resources, references and ids (SECURITY.md item 9).

A body is parsed in three steps: JSON, then the ``fhir.resources`` R4B model (structure, types,
dates), then the kiosk's own allow-lists (names, birth date, NIR key, phone number, references).
Every failure is an ``Invalid`` (400) whose sentence names the field, never its value.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.resource import Resource
from flask import request
from pydantic import ValidationError

from kiosk.booking.entries import (
    EntryError,
    clean_birth_date,
    clean_name,
    clean_nir,
    clean_phone,
    sex_from_nir,
)
from kiosk.fhir.outcome import Invalid, UnsupportedMediaType
from kiosk.fhir.resources import NIR_SYSTEM

M = TypeVar("M", bound=Resource)

JSON_TYPES = ("application/fhir+json", "application/json")
# Database ids are 32-bit on PostgreSQL: a bigger number would be a database error, not a 404.
MAX_ID = 2**31 - 1
ID_PATTERN = re.compile(r"[1-9][0-9]{0,9}")
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:-]{1,200}")
REASON_MAX = 200
# A client may ask to book with any of these; the answer is always "booked" (or a refusal).
BOOKABLE_STATUSES = ("proposed", "pending", "booked")
GENDER_SEX = {"female": "F", "male": "M"}
GENDERS = ("male", "female", "other", "unknown")


def parse_id(text: str) -> int | None:
    """A database id from text, or None if it cannot be one."""
    if not ID_PATTERN.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def parse_reference(reference: str | None, kind: str) -> int | None:
    """The id in a relative reference ``Kind/123``, or None if it is not one."""
    if not reference or not reference.startswith(kind + "/"):
        return None
    return parse_id(reference.removeprefix(kind + "/"))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_json(media_types: tuple[str, ...] = JSON_TYPES) -> Any:
    """The request body as JSON, if it is sent as one of ``media_types``."""
    if request.mimetype not in media_types:
        raise UnsupportedMediaType(f"Send the body as {' or '.join(media_types)}.")
    raw = request.get_data(cache=False)
    try:
        # NaN and Infinity are not JSON; deep nesting must be a 400, not a crash.
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid("The body is not valid JSON in UTF-8.") from None


def idempotency_key(caller_id: int) -> str:
    """The stored key of a write: the client's Idempotency-Key (or a fresh one), scoped to the
    token ``caller_id``, so two clients choosing the same key never see each other's writes;
    hashed, so any length fits the 64-character column."""
    given = request.headers.get("Idempotency-Key")
    if given is None:
        given = secrets.token_urlsafe(24)
    elif not IDEMPOTENCY_KEY.fullmatch(given):
        raise Invalid("Idempotency-Key: 1 to 200 letters, digits, '.', '_', ':' or '-'.")
    return hashlib.sha256(f"fhir\0{caller_id}\0{given}".encode()).hexdigest()


def no_query() -> None:
    """Refuse a write sent with a query string (FHIR's conditional create, update or patch):
    this server does only conditional create, with its search in the If-None-Exist header,
    and a query string silently ignored could create or change the wrong record."""
    if request.args:
        raise Invalid(
            "A create, update or patch takes no query parameters here; a conditional create "
            "sends its search in the If-None-Exist header."
        )


def read_resource(kind: type[M]) -> M:
    """The request body as a FHIR resource of ``kind``, validated by ``fhir.resources``."""
    data = read_json()
    name = kind.__name__
    if not isinstance(data, dict):
        raise Invalid("The body must be a JSON object: a FHIR resource.")
    if data.get("resourceType") != name:
        raise Invalid(f"The body must be a {name} resource (resourceType {name}).")
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise Invalid(describe(name, exc)) from None
    except (ValueError, TypeError, RecursionError):
        # Raised by a validator outside pydantic's own error handling: still the client's input.
        raise Invalid(f"The {name} resource is not valid FHIR R4.") from None


def describe(name: str, error: ValidationError, limit: int = 3) -> str:
    """The first problems of a validation error, as ``Patient.birthDate: <what is wrong>``."""
    parts = []
    for problem in error.errors(include_input=False, include_url=False)[:limit]:
        path = name
        for step in problem["loc"]:
            if isinstance(step, int):
                path += f"[{step}]"
            else:
                # An unknown element's name comes from the client: show it only if it looks
                # like an element name, so nothing else sent is ever repeated.
                named = step.isascii() and step.lstrip("_").isidentifier() and len(step) <= 40
                path += f".{step}" if named else ".<unknown element>"
        # pydantic's messages name the rule, not the value; cap them all the same.
        parts.append(f"{path}: {problem['msg'][:160]}")
    more = len(error.errors()) - limit
    suffix = f" (and {more} more)" if more > 0 else ""
    return "Not valid FHIR R4: " + "; ".join(parts) + suffix


@dataclass(frozen=True)
class PatientEntry:
    """A person's identity as the API received it, checked like the kiosk's screens check it."""

    surname: str
    first_name: str
    birth_date: date
    nir: str | None
    phone: str | None
    sex: str | None


def _name(patient: FhirPatient) -> tuple[str, str]:
    names = patient.name or []
    if not names:
        raise Invalid("Patient.name is required, with family and given.")
    # The official name is the one on the card and in the NIR register; else the first one.
    chosen = next((n for n in names if n.use == "official"), names[0])
    index = names.index(chosen)
    # FHIR arrays may hold nulls (paired with extensions in "_given"): they are no names.
    given = [name for name in chosen.given or [] if name]
    if not chosen.family or not given:
        raise Invalid(f"Patient.name[{index}] needs both family and given.")
    try:
        surname = clean_name(chosen.family)
    except EntryError:
        raise Invalid(
            f"Patient.name[{index}].family: use letters, accents, hyphens, apostrophes "
            "and spaces (40 characters at most)."
        ) from None
    try:
        first_name = clean_name(" ".join(given))
    except EntryError:
        raise Invalid(
            f"Patient.name[{index}].given: use letters, accents, hyphens, apostrophes "
            "and spaces (40 characters at most, all given names together)."
        ) from None
    return surname, first_name


def _birth_date(patient: FhirPatient, today: date) -> date:
    born = patient.birthDate
    # FHIR allows "1941" or "1941-03"; a booking needs the full date, as the kiosk asks it.
    if not isinstance(born, date) or isinstance(born, datetime):
        raise Invalid("Patient.birthDate is required as a full date: YYYY-MM-DD.")
    try:
        return clean_birth_date(born.day, born.month, born.year, today)
    except EntryError:
        raise Invalid(
            "Patient.birthDate must not be in the future nor more than 120 years ago."
        ) from None


def _nir(patient: FhirPatient) -> str | None:
    found: list[str] = []
    for index, identifier in enumerate(patient.identifier or []):
        if identifier.system != NIR_SYSTEM:
            raise Invalid(
                f"Patient.identifier[{index}]: only the INS-NIR (system {NIR_SYSTEM}) is kept."
            )
        try:
            found.append(clean_nir(identifier.value or ""))
        except EntryError:
            raise Invalid(
                f"Patient.identifier[{index}]: this NIR is not right; check its 15 characters "
                "and its 2-digit key."
            ) from None
    if len(found) > 1:
        raise Invalid("Patient.identifier: give one NIR at most.")
    return found[0] if found else None


def _phone(patient: FhirPatient) -> str | None:
    found: list[str] = []
    for index, contact in enumerate(patient.telecom or []):
        if contact.system != "phone":
            raise Invalid(f"Patient.telecom[{index}]: only a phone number is kept.")
        value = "".join((contact.value or "").split())
        # The international form of a French number: +33 6 12 34 56 78 is 06 12 34 56 78.
        if value.startswith("+33"):
            value = "0" + value.removeprefix("+33")
        try:
            found.append(clean_phone(value))
        except EntryError:
            raise Invalid(
                f"Patient.telecom[{index}]: a French phone number has 10 digits and starts "
                "with 0 (or +33)."
            ) from None
    if len(found) > 1:
        raise Invalid("Patient.telecom: give one phone number at most.")
    return found[0] if found else None


def patient_entry(patient: FhirPatient, today: date) -> PatientEntry:
    """Check a Patient resource's identity; anything else in it is not stored."""
    surname, first_name = _name(patient)
    born = _birth_date(patient, today)
    nir = _nir(patient)
    phone = _phone(patient)
    # fhir.resources checks the shape of a code, not its value set: check gender here.
    if patient.gender is not None and patient.gender not in GENDERS:
        raise Invalid(f"Patient.gender must be one of {', '.join(GENDERS)}.")
    sex = sex_from_nir(nir) if nir else GENDER_SEX.get(patient.gender or "")
    return PatientEntry(surname, first_name, born, nir, phone, sex)


@dataclass(frozen=True)
class BookingRequest:
    """What an Appointment POST asks for: a slot, a patient, maybe a doctor, times and reason."""

    slot_id: int
    patient_id: int
    practitioner_id: int | None
    start: datetime | None
    end: datetime | None
    reason: str


def _reason(appointment: FhirAppointment) -> str:
    texts: list[str] = []
    for concept in appointment.reasonCode or []:
        text = concept.text or next((c.display for c in concept.coding or [] if c.display), None)
        if text:
            texts.append(text)
    joined = "; ".join(texts)
    # Control characters have no place in a reason shown to a doctor.
    cleaned = "".join(ch for ch in joined if unicodedata.category(ch)[0] != "C").strip()
    if len(cleaned) > REASON_MAX:
        raise Invalid(f"Appointment.reasonCode: {REASON_MAX} characters at most in all.")
    return cleaned


def booking_request(appointment: FhirAppointment) -> BookingRequest:
    """Check an Appointment to create: one Slot, one Patient, at most one Practitioner."""
    if appointment.status not in BOOKABLE_STATUSES:
        raise Invalid(f"Appointment.status must be one of {', '.join(BOOKABLE_STATUSES)}.")
    slots = appointment.slot or []
    if len(slots) != 1:
        raise Invalid("Appointment.slot must name exactly one Slot.")
    slot_id = parse_reference(slots[0].reference, "Slot")
    if slot_id is None:
        raise Invalid("Appointment.slot[0].reference must be Slot/<id>.")
    patients: list[int] = []
    practitioners: list[int] = []
    for index, participant in enumerate(appointment.participant or []):
        reference = participant.actor.reference if participant.actor else None
        if (patient_id := parse_reference(reference, "Patient")) is not None:
            patients.append(patient_id)
        elif (practitioner_id := parse_reference(reference, "Practitioner")) is not None:
            practitioners.append(practitioner_id)
        else:
            raise Invalid(
                f"Appointment.participant[{index}].actor.reference must be Patient/<id> "
                "or Practitioner/<id>."
            )
    if len(patients) != 1:
        raise Invalid("Appointment.participant must name exactly one Patient.")
    if len(practitioners) > 1:
        raise Invalid("Appointment.participant names one Practitioner at most.")
    return BookingRequest(
        slot_id=slot_id,
        patient_id=patients[0],
        practitioner_id=practitioners[0] if practitioners else None,
        start=appointment.start,
        end=appointment.end,
        reason=_reason(appointment),
    )
