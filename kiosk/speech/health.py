"""The state of the kiosk's voice, for ``/healthz`` and the staff page.

Speech out: a real render served back (``rendering.speech_out_state``); speech in needs a vosk
model per language (else the kiosk is touch-only). The app factory registers ``speech_state``
with ``kiosk.core.health`` under "speech".
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from kiosk.speech.recognition import available, recognition_status
from kiosk.speech.rendering import speech_out_state


def speech_state() -> dict[str, Any]:
    """``{"out": ..., "in": "ok" | "partial" | "touch_only"}``, and ``why`` when not ok."""
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
