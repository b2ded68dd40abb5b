"""Routing helpers of the FHIR API: one view per method, 405 for the rest, lookups by id.

``route`` also records which FHIR interaction each view serves, so that the
CapabilityStatement (``kiosk.fhir.capability``) lists exactly what is routed, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from kiosk.fhir.blueprint import bp
from kiosk.fhir.outcome import MethodNotAllowed, NotFound
from kiosk.fhir.parse import parse_id

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Roles that see health data and the NIR: care only (SECURITY.md item 19).
CARE_ROLES = ("doctor",)
READERS = ("staff", "doctor")

_ALLOWED: dict[str, list[str]] = {}
# Resource type -> the FHIR interaction codes routed for it (read, search-type, create, ...).
INTERACTIONS: dict[str, list[str]] = {}


def route(
    rule: str, method: str, interaction: str | None = None
) -> Callable[[Callable[..., Any]], Any]:
    """Register a view for one method of ``rule`` (``finish_routes`` answers the others).

    ``interaction`` is the FHIR interaction it serves, for the CapabilityStatement; the
    resource type is the rule's first segment (``/Appointment/<resource_id>``: Appointment).
    A ``search-type`` view answers both ways FHIR searches: ``GET /Kind?...`` and
    ``POST /Kind/_search`` with a form body, which keeps a NIR out of URLs and proxy logs.
    """

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        _add(rule, method, view.__name__, view)
        if interaction == "search-type":
            _add(rule + "/_search", "POST", view.__name__ + "_by_post", view)
        if interaction is not None:
            INTERACTIONS.setdefault(rule.split("/")[1], []).append(interaction)
        return view

    return register


def _add(rule: str, method: str, endpoint: str, view: Callable[..., Any]) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=[method])
    _ALLOWED.setdefault(rule, []).append(method)


def finish_routes() -> None:
    """Give each path a 405 OperationOutcome (with Allow) for the methods it does not take."""
    for index, (rule, methods) in enumerate(_ALLOWED.items()):
        allowed = ", ".join(methods)

        def not_allowed(allowed: str = allowed, **_kwargs: str) -> Response:
            raise MethodNotAllowed(f"Allowed here: {allowed}.", {"Allow": allowed})

        others = [m for m in METHODS if m not in methods]
        bp.add_url_rule(rule, f"not_allowed_{index}", not_allowed, methods=others)


def get_or_404(
    db: Session, model: type[Any], text: str, kind: str, where: ColumnElement[bool] | None = None
) -> Any:
    """The record of ``model`` whose id is ``text`` and that meets ``where`` (the caller's
    scope); NotFound (404) otherwise, the same answer whether it is missing or out of scope."""
    number = parse_id(text)
    record = None
    if number is not None:
        query = select(model).where(model.id == number)
        if where is not None:
            query = query.where(where)
        record = db.scalar(query)
    if record is None:
        raise NotFound(f"No {kind} has this id.")
    return record
