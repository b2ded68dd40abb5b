"""The devices' HTTP side: the card poll every screen makes, and the operator's self-test."""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, jsonify, request

from kiosk.devices.service import admin_token, manager
from kiosk.security.sessions import current_visit, interface
from kiosk.visit import state as visit_state
from kiosk.visit.state import BookingDraft
from peripherals.errors import PeripheralError

bp = Blueprint("devices", __name__, url_prefix="/devices")


@bp.post("/card-poll")
def card_poll() -> Response:
    """What the card did since the screen loaded (every screen asks once a second).

    A card put in while no journey has begun starts identification; a card taken out after it
    identified the person ends the visit, as if they had pressed Terminer.
    """
    watch = current_app.extensions.get("kiosk_card_watch")
    since = request.form.get("since", "")
    if watch is None or not since.isascii() or not since.isdigit():
        return Response(status=204)
    event = watch.since(int(since))
    if event is None:
        return Response(status=204)
    response = Response(status=204)
    if event.kind == "inserted" and not visit_state.load().journey:
        visit_state.update(journey="booking", booking=BookingDraft())
        response.headers["HX-Redirect"] = "/booking/"
    elif event.kind == "removed" and (visit_state.load().booking or BookingDraft()).card:
        interface(current_app).end(current_visit())
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        response.headers["HX-Redirect"] = "/?notice=card_removed"
    return response


@bp.post("/self-test/<kind>")
def self_test(kind: str) -> tuple[Response, int]:
    """Run one device's self-test in the process that owns it: loopback and operator only."""
    if not ipaddress.ip_address(request.remote_addr or "0.0.0.0").is_loopback:
        abort(404)
    given = request.headers.get("X-Kiosk-Admin", "")
    if not given or not hmac.compare_digest(given, admin_token()):
        abort(404)
    devices = manager()
    if devices is None or kind not in ("bp", "card", "printer", "scanner"):
        abort(404)
    try:
        result = devices.self_test(kind)
    except PeripheralError as exc:
        return jsonify(kind=kind, ok=False, summary=str(exc)), 200
    return jsonify(kind=result.kind, ok=result.ok, summary=result.summary), 200
