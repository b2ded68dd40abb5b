"""Can this kiosk serve, and what state are its parts in? (``/healthz`` and the staff page)

``/healthz`` (``kiosk.core.healthz``) answers 200 when the kiosk can serve a person (the
database answers); 503 otherwise. Devices and speech are reported but do not fail the check:
without a cuff or a voice the kiosk still books.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from kiosk.core.db import get_db
from kiosk.speech.recognition import available, recognition_status
from kiosk.speech.rendering import speech_out_state

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


def speech_state() -> dict[str, Any]:
    """Speech out: a real render served back (speech.rendering.speech_out_state); speech in needs a
    vosk model (else the kiosk is touch-only)."""
    settings = current_app.config["KIOSK"]
    synth = speech_out_state()
    ready, why = recognition_status()
    languages = settings["languages"]
    listening = [lang for lang in languages if available(lang)]
    state = {"out": synth, "in": "ok" if len(listening) == len(languages) else
             "partial" if ready else "touch_only"}
    if state["in"] != "ok":
        state["why"] = why
    return state
