"""The FHIR API's Patient endpoints: create (conditional with If-None-Exist), read, search.

Search by ``identifier`` (the INS-NIR), or by ``family`` and ``birthdate`` together: never by
a name alone, so a search cannot list a town's Martins. NIRs are stored encrypted with random
nonces and cannot be looked up by value: a search by NIR decrypts the NIRs of the patients the
caller reaches (kept only while an appointment needs them, so a few thousand at most on one
server), as the kiosk's own card lookup does. A keyed index will be needed before a central
server holds a region's patients.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

from fhir.resources.R4B.patient import Patient as FhirPatient
from flask import Response, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from kiosk.booking.entries import EntryError, clean_nir
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Patient, utcnow
from kiosk.fhir import resources, scope, writes
from kiosk.fhir.auth import actor, require
from kiosk.fhir.for_caller import patient_for_caller
from kiosk.fhir.outcome import Invalid, PreconditionFailed, resource_response
from kiosk.fhir.params import (
    DATE,
    Param,
    Search,
    Spec,
    either,
    lenient,
    read_search,
    register,
    search_args,
    starts_a_word,
    token,
)
from kiosk.fhir.parse import no_query, patient_entry, read_resource
from kiosk.fhir.routing import READERS, get_or_404, route
from kiosk.fhir.searchset import Found, answer, page
from kiosk.security.vault import VaultError, get_vault

PATIENTS = register(
    Spec(
        "Patient",
        (
            Param("identifier", "token", f"The INS-NIR: {resources.NIR_SYSTEM}|<15 characters>."),
            Param("family", "string", "The start of the family name; only with birthdate."),
            Param("birthdate", "date", "The full birth date (YYYY-MM-DD); only with family."),
        ),
    )
)


def _nirs(value: str) -> set[str]:
    """The NIRs one identifier value asks for (none if it names another system)."""
    found = set()
    for part in either(value):
        system, code = token(part)
        if system not in (None, resources.NIR_SYSTEM):
            continue  # a system this server does not keep: it matches nothing
        try:
            found.add(clean_nir(code))
        except EntryError:
            raise Invalid(
                "identifier: this NIR is not right; check its 15 characters and its 2-digit key."
            ) from None
    return found


def _birth_dates(value: str) -> set[date]:
    days = set()
    for part in either(value):
        day = part.removeprefix("eq")
        try:
            if not DATE.fullmatch(day):
                raise ValueError(day)
            days.add(date.fromisoformat(day))
        except ValueError:
            raise Invalid("birthdate must be the full birth date: YYYY-MM-DD.") from None
    return days


def matching(db: Session, wanted: Search) -> list[Patient]:
    """The patients the caller reaches that match the search, by id."""
    identifiers, families = wanted.get("identifier"), wanted.get("family")
    births = wanted.get("birthdate")
    if not identifiers and not (families and births):
        raise Invalid("Search patients by identifier (the INS-NIR), or by family and "
                      "birthdate together.")
    query = select(Patient).where(scope.patients()).order_by(Patient.id)
    for value in births:
        query = query.where(Patient.birth_date.in_(_birth_dates(value)))
    wanted_nirs = [_nirs(value) for value in identifiers]
    if wanted_nirs:
        query = query.where(Patient.nir_token.is_not(None))
    found = list(db.scalars(query))
    for value in families:
        found = [p for p in found if any(starts_a_word(f, p.surname) for f in either(value))]
    if wanted_nirs:
        vault = get_vault()

        def has_nir(patient: Patient) -> bool:
            try:
                nir = vault.decrypt(patient.nir_token or "")
            except VaultError:
                return False  # written with a key that is gone: it can match nothing
            return all(nir in nirs for nirs in wanted_nirs)

        found = [p for p in found if has_nir(p)]
    return found


@route("/Patient", "GET", "search-type")
@require(*READERS)
def search_patients() -> Response:
    """Search patients; each person returned is journaled."""
    wanted = read_search(PATIENTS, search_args(), lenient())
    with get_db().read() as db:
        found = matching(db, wanted)
    matches = [Found(patient_for_caller(p), p.pseudonym) for p in page(found, wanted)]
    return answer(wanted, ".search_patients", matches, len(found))


def _existing() -> Patient | None:
    """For a conditional create, the one patient If-None-Exist finds (412 if several)."""
    condition = request.headers.get("If-None-Exist")
    if condition is None:
        return None
    search = read_search(PATIENTS, MultiDict(parse_qsl(condition, keep_blank_values=True)))
    with get_db().read() as db:
        found = matching(db, search)
    if len(found) > 1:
        raise PreconditionFailed(
            "If-None-Exist matches several patients: search them and choose one."
        )
    return found[0] if found else None


@route("/Patient", "POST", "create")
@require("staff")
def create_patient() -> Response:
    """Store a patient (identity checked, NIR key checked): 201. With If-None-Exist, the
    patient it finds is the answer (200) and nothing is stored."""
    no_query()
    today = utcnow().astimezone(site_tz()).date()
    entry = patient_entry(read_resource(FhirPatient), today)
    database = get_db()
    patient = _existing()
    status = 200
    if patient is not None:
        writes.audit(database, actor(), "patient.matched", patient.pseudonym, utcnow())
    else:
        patient = writes.create_patient(database, get_vault(), entry, actor(), utcnow())
        status = 201
    location = url_for(".read_patient", resource_id=patient.id, _external=True)
    return resource_response(patient_for_caller(patient), status, {"Location": location})


@route("/Patient/<resource_id>", "GET", "read")
@require(*READERS)
def read_patient(resource_id: str) -> Response:
    """A patient the caller reaches; the NIR only for care roles (marked REDACTED for others)."""
    database = get_db()
    with database.read() as db:
        patient = get_or_404(db, Patient, resource_id, "Patient", scope.patients())
    writes.audit(database, actor(), "patient.read", patient.pseudonym, utcnow())
    return resource_response(patient_for_caller(patient))
