"""The visit's speech rate: the setting, until the person says "moins vite" or "plus vite"."""

from __future__ import annotations

from flask import current_app, session

RATE_STEP = 20
RATE_RANGE = (80, 200)


def speech_rate() -> int:
    """The visit's speech rate in words per minute (the setting, until "moins vite")."""
    rate = session.get("speech_rate")
    return int(rate) if rate else int(current_app.config["KIOSK"]["speech_rate"])


def change_rate(step: int) -> int:
    """Slower (negative) or faster, for the rest of the visit; returns the new rate."""
    low, high = RATE_RANGE
    session["speech_rate"] = rate = min(max(speech_rate() + step, low), high)
    return rate
