"""``GET /healthz``: the checks of ``kiosk.core.health`` for a monitor."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from kiosk.core.health import database_state, device_states, reported_states

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """JSON with the state of the database, the devices and the registered parts (speech)."""
    database = database_state()
    body = {
        "status": "ok" if database["ok"] else "unavailable",
        "mode": current_app.config["KIOSK"]["mode"],
        "database": database,
        "devices": device_states(),
        **reported_states(),  # "speech"
    }
    return jsonify(body), 200 if database["ok"] else 503
