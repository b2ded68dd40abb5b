"""Routing helpers of the FHIR API: one view per method, 405 for the rest, lookups by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app
from sqlalchemy.orm import Session

from kiosk.fhir import bp
from kiosk.fhir.outcome import MethodNotAllowed, NotFound
from kiosk.fhir.parse import parse_id

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Roles that see health data and the NIR: care only (SECURITY.md item 19).
CARE_ROLES = ("doctor",)
READERS = ("staff", "doctor")

_ALLOWED: dict[str, list[str]] = {}


def route(rule: str, method: str) -> Callable[[Callable[..., Any]], Any]:
    """Register a view for one method of ``rule`` (``finish_routes`` answers the others)."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        bp.add_url_rule(rule, view.__name__, view, methods=[method])
        _ALLOWED.setdefault(rule, []).append(method)
        return view

    return register


def finish_routes() -> None:
    """Give each path a 405 OperationOutcome (with Allow) for the methods it does not take."""
    for index, (rule, methods) in enumerate(_ALLOWED.items()):
        allowed = ", ".join(methods)

        def not_allowed(allowed: str = allowed, **_kwargs: str) -> Response:
            raise MethodNotAllowed(f"Allowed here: {allowed}.", {"Allow": allowed})

        others = [m for m in METHODS if m not in methods]
        bp.add_url_rule(rule, f"not_allowed_{index}", not_allowed, methods=others)


def site_tz() -> ZoneInfo:
    """The site's time zone, in which times are written and dates searched."""
    return ZoneInfo(current_app.config["KIOSK"]["timezone"])


def _id(text: str, kind: str) -> int:
    number = parse_id(text)
    if number is None:
        raise NotFound(f"No {kind} has this id.")
    return number


def get_or_404(db: Session, model: type[Any], text: str, kind: str) -> Any:
    """The record of ``model`` whose id is ``text``; NotFound (404) if there is none."""
    record = db.get(model, _id(text, kind))
    if record is None:
        raise NotFound(f"No {kind} has this id.")
    return record
