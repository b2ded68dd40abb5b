"""What a call needs to be set up: its room name and the settings call.js reads."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import current_app


def room_name(appointment_id: int) -> str:
    """The Jitsi room of an appointment: unguessable without the kiosk's secret key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"consult:{appointment_id}".encode(), hashlib.sha256).hexdigest()
    return f"consult-{digest[:24]}"


def call_config(appointment_id: int) -> dict[str, Any]:
    """What call.js needs, for the templates' data attributes."""
    settings = current_app.config["KIOSK"]
    return {
        "provider": settings["video_provider"],
        "ice": json.dumps(settings["ice_servers"]),
        "jitsi_domain": settings["jitsi_domain"],
        "room": room_name(appointment_id),
    }
