"""The visit's speech rate: the setting, until the person says "moins vite" or "plus vite"."""

from __future__ import annotations

from flask import current_app

from kiosk.visit import state as visit_state

RATE_STEP = 20
RATE_RANGE = (80, 200)


def speech_rate() -> int:
    """The visit's speech rate in words per minute (the setting, until "moins vite")."""
    rate = visit_state.load().speech_rate
    return int(rate) if rate else int(current_app.config["KIOSK"]["speech_rate"])


def change_rate(step: int) -> int:
    """Slower (negative) or faster, for the rest of the visit; returns the new rate."""
    low, high = RATE_RANGE
    rate = min(max(speech_rate() + step, low), high)
    visit_state.update(speech_rate=rate)
    return rate
