"""Can this kiosk serve, and what state are its parts in? (``/healthz`` and the staff page)

``/healthz`` (``kiosk.core.healthz``) answers 200 when the kiosk can serve a person (the
database answers); 503 otherwise. Devices and the parts the areas register (speech, by the app
factory: ``report``) are reported but do not fail the check: without a cuff or a voice the
kiosk still books.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from kiosk.core.db import get_db

_REPORTS = "kiosk_health_reports"

DEVICE_KEYS = {"bp": "bp_url", "printer": "printer_url", "scanner": "scanner_url"}


def database_state() -> dict[str, Any]:
    """Whether the database answers a trivial query."""
    try:
        get_db().ping()
    except SQLAlchemyError as exc:
        current_app.logger.warning("health: database unavailable: %s", type(exc).__name__)
        return {"ok": False, "state": "unavailable"}
    return {"ok": True, "state": "ok"}


def device_states() -> dict[str, Any]:
    """Each device's state, from the device manager once it runs, else from the settings."""
    manager = current_app.extensions.get("kiosk_devices")
    if manager is not None:
        return {kind: health.to_dict() for kind, health in manager.health().items()}
    settings = current_app.config["KIOSK"]
    states: dict[str, Any] = {}
    for name, key in DEVICE_KEYS.items():
        states[name] = {"state": "not_started" if settings[key] else "not_configured"}
    states["card"] = {"state": "not_started"}
    return states


def report(app: Flask, name: str, state: Callable[[], dict[str, Any]]) -> None:
    """An area's part reported under ``name`` by ``/healthz`` (never failing the check)."""
    app.extensions.setdefault(_REPORTS, {})[name] = state


def reported_states() -> dict[str, dict[str, Any]]:
    """The state of each part the areas registered, by name."""
    reports: dict[str, Callable[[], dict[str, Any]]] = current_app.extensions.get(_REPORTS, {})
    return {name: state() for name, state in reports.items()}
