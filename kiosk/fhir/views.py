"""The FHIR API's scheduling resources (Slot, Schedule, Practitioner), and the fallback for
anything else under /fhir. Patients, appointments and readings have their own modules; the
interactions and the role rules are listed in ``kiosk.fhir``.

Slots, schedules and practitioners hold nobody's personal data: every token sees them all, and
their reads and searches are not journaled.
"""

from __future__ import annotations

from flask import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.booking import slots as kiosk_slots
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import Practitioner, Slot, utcnow
from kiosk.fhir import resources, search
from kiosk.fhir.auth import require
from kiosk.fhir.blueprint import bp
from kiosk.fhir.outcome import NotFound, resource_response
from kiosk.fhir.params import (
    Param,
    Spec,
    either,
    lenient,
    read_search,
    reference_ids,
    register,
    search_args,
    starts_a_word,
    token,
)
from kiosk.fhir.routing import METHODS, READERS, get_or_404, route
from kiosk.fhir.searchset import Found, answer, page

SCHEDULES = register(
    Spec(
        "Schedule",
        (Param("actor", "reference", "Practitioner/<id>: that practitioner's schedule."),),
        includes=("Schedule:actor",),
    )
)
PRACTITIONERS = register(
    Spec(
        "Practitioner",
        (
            Param("name", "string", "The start of the family or a given name, any case and "
                  "accents."),
            Param("identifier", "token", f"The RPPS number ({resources.RPPS_SYSTEM}|<11 digits>) "
                  f"or the national id ({resources.IDNPS_SYSTEM}|8<RPPS>)."),
        ),
    )
)


@route("/Slot", "GET", "search-type")
@require(*READERS)
def search_slots() -> Response:
    """Search slots (see kiosk.fhir.search for the parameters); a searchset Bundle."""
    tz = site_tz()
    query = search.slot_query(search_args(), tz, lenient())
    with get_db().read() as db:
        found, total = search.search_slots(db, query, utcnow())
        matches = [Found(resources.slot_resource(slot, busy, tz)) for slot, busy in found]
        included = []
        if "Slot:schedule" in query.search.includes:
            doctors = {slot.practitioner_id: slot.practitioner for slot, _busy in found}
            included = [Found(resources.schedule_resource(d)) for d in doctors.values()]
    return answer(query.search, ".search_slots", matches, total, included)


@route("/Slot/<resource_id>", "GET", "read")
@require(*READERS)
def read_slot(resource_id: str) -> Response:
    """One slot: free while the kiosk would still offer it, else busy (taken, or too late)."""
    with get_db().read() as db:
        slot = get_or_404(db, Slot, resource_id, "Slot")
        busy = not kiosk_slots.is_free(db, slot.id, utcnow())
        return resource_response(resources.slot_resource(slot, busy, site_tz()))


def _practitioners(db: Session) -> list[Practitioner]:
    return list(db.scalars(select(Practitioner).order_by(Practitioner.id)))


@route("/Schedule", "GET", "search-type")
@require(*READERS)
def search_schedules() -> Response:
    """Search schedules (one per practitioner), by ``actor``."""
    wanted = read_search(SCHEDULES, search_args(), lenient())
    with get_db().read() as db:
        doctors = _practitioners(db)
    for value in wanted.get("actor"):
        ids = set(reference_ids(value, "Practitioner", "actor"))
        doctors = [d for d in doctors if d.id in ids]
    shown = page(doctors, wanted)
    matches = [Found(resources.schedule_resource(d)) for d in shown]
    included = []
    if "Schedule:actor" in wanted.includes:
        included = [Found(resources.practitioner_resource(d)) for d in shown]
    return answer(wanted, ".search_schedules", matches, len(doctors), included)


@route("/Schedule/<resource_id>", "GET", "read")
@require(*READERS)
def read_schedule(resource_id: str) -> Response:
    """A practitioner's schedule."""
    with get_db().read() as db:
        return resource_response(
            resources.schedule_resource(get_or_404(db, Practitioner, resource_id, "Schedule"))
        )


def _has_identifier(doctor: Practitioner, value: str) -> bool:
    """Whether one of the alternatives of an identifier value names this practitioner."""
    if not doctor.rpps:
        return False
    for part in either(value):
        system, code = token(part)
        if system in (None, resources.RPPS_SYSTEM) and code == doctor.rpps:
            return True
        if system in (None, resources.IDNPS_SYSTEM) and code == "8" + doctor.rpps:
            return True
    return False


@route("/Practitioner", "GET", "search-type")
@require(*READERS)
def search_practitioners() -> Response:
    """Search practitioners by ``name`` and by ``identifier`` (RPPS)."""
    wanted = read_search(PRACTITIONERS, search_args(), lenient())
    with get_db().read() as db:
        doctors = _practitioners(db)
    for value in wanted.get("name"):
        doctors = [
            d for d in doctors
            if any(starts_a_word(part, d.surname, d.first_name) for part in either(value))
        ]
    for value in wanted.get("identifier"):
        doctors = [d for d in doctors if _has_identifier(d, value)]
    matches = [Found(resources.practitioner_resource(d)) for d in page(doctors, wanted)]
    return answer(wanted, ".search_practitioners", matches, len(doctors))


@route("/Practitioner/<resource_id>", "GET", "read")
@require(*READERS)
def read_practitioner(resource_id: str) -> Response:
    """A practitioner."""
    with get_db().read() as db:
        return resource_response(
            resources.practitioner_resource(
                get_or_404(db, Practitioner, resource_id, "Practitioner")
            )
        )


@bp.route("/", defaults={"rest": ""}, methods=list(METHODS))
@bp.route("/<path:rest>", methods=list(METHODS))
def unknown(rest: str) -> Response:
    """Anything else under /fhir: a 404 OperationOutcome rather than the kiosk's HTML page."""
    raise NotFound("This server has no such resource or operation; see /fhir/metadata.")
