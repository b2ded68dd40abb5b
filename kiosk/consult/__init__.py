"""The video consultation (issue 6): check-in at the kiosk, consent, a device check, the
waiting room, the call with its chat, and the end screen with what the doctor wrote.

The call itself is browser to browser (WebRTC, ``static/call.js``), signalled through the
database (``signals``) so it works across gunicorn workers; or Jitsi Meet when
``video_provider`` is ``jitsi``. The doctor's side lives on the doctor's appointment page
(``doctor_side``, ``templates/doctor/_call.html``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import Blueprint, Flask, current_app

bp = Blueprint("consult", __name__, url_prefix="/consult")


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


def init_app(app: Flask) -> None:
    """Templates reach the call settings through ``call_config``; a visit that ends during a
    call hangs it up."""
    from kiosk.consult import signals
    from kiosk.core.db import get_db
    from kiosk.core.records import utcnow
    from kiosk.security.sessions import interface

    app.jinja_env.globals["call_config"] = call_config

    def hang_up(ref: str) -> None:
        signals.hang_up_visit(get_db(app), ref, utcnow())

    interface(app).end_hooks.append(hang_up)


# Importing the view modules registers their routes (the doctor's on the doctor blueprint).
from kiosk.consult import doctor_side, views  # noqa: E402,F401

__all__ = ["bp", "call_config", "init_app", "room_name"]
