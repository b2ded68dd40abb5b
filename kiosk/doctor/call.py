"""The doctor's side of the call: the signalling endpoint of one appointment.

Registered on the doctor blueprint, so it has the portal's inactivity sign-out, and each
request checks that the appointment belongs to the signed-in doctor (SECURITY.md item 21).
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, request
from sqlalchemy import select

from kiosk.consult import signals
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Slot, utcnow
from kiosk.doctor import auth
from kiosk.doctor.blueprint import bp
from kiosk.security.vault import get_vault


def owns(appointment_id: int, practitioner_id: int) -> bool:
    """True if the appointment is this practitioner's."""
    with get_db().read() as db:
        found = db.scalar(select(Appointment.id).join(Slot, Appointment.slot_id == Slot.id)
                          .where(Appointment.id == appointment_id,
                                 Slot.practitioner_id == practitioner_id))
    return found is not None


@bp.route("/appointment/<int:appointment_id>/signal", methods=["GET", "POST"])
@auth.doctor_required
def call_signal(appointment_id: int) -> Any:
    """Post a message to the kiosk, or read the messages after ``since``."""
    if not owns(appointment_id, g.doctor.practitioner_id):
        abort(404)
    if request.method == "GET":
        since = request.args.get("since", "0")
        if not since.isdigit():
            abort(400)
        messages = signals.after(get_db(), appointment_id, int(since), get_vault())
        return {"messages": [m.as_json() for m in messages]}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    try:
        new_id = signals.send(get_db(), appointment_id, "doctor", str(body.get("kind", "")),
                              body.get("payload"), utcnow(), get_vault())
    except signals.BadMessage:
        abort(400)
    except signals.NotCallable:
        abort(409)
    return {"id": new_id}
