"""The app's side of the devices: what screens ask of them, with plain outcomes.

The device manager (peripherals/) runs in the gunicorn worker once started; until then, or
without a device, every call answers at once with "unavailable" rather than waiting.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def manager() -> Any | None:
    """The running device manager, if any."""
    return current_app.extensions.get("kiosk_devices")


def print_booking_ticket(*, code: str, when_words: str, site: str) -> str:
    """Print the booking ticket: "printed", "unavailable" or "unknown" (silence is not OK)."""
    devices = manager()
    if devices is None:
        return "unavailable"
    return str(devices.print_booking_ticket(code=code, when_words=when_words, site=site))
