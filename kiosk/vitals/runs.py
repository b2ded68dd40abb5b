"""The measurement in progress on this kiosk: one cuff, one person at a time."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask

_lock = threading.Lock()
SETTLE = 3.0  # longest wait for a cancelled measurement to deflate before the next starts


@dataclass
class Run:
    """A measurement started for a visit (``ref``), with the device's handle."""

    ref: str
    handle: Any


def start(app: Flask, ref: str, manager: Any, deadline: float) -> Run:
    """Start a reading for the visit ``ref``; raises the device's errors (busy, no cuff)."""
    with _lock:
        current: Run | None = app.extensions.get("kiosk_bp_run")
        if current is not None and not current.handle.done():
            current.handle.cancel()  # a visit left mid-measurement: deflate before the next
            waited = time.monotonic() + SETTLE
            while not current.handle.done() and time.monotonic() < waited:
                time.sleep(0.05)
        run = Run(ref, manager.start_bp_measurement(deadline=deadline))
        app.extensions["kiosk_bp_run"] = run
        return run


def current(app: Flask, ref: str) -> Run | None:
    """The run of this visit, if it has one."""
    run: Run | None = app.extensions.get("kiosk_bp_run")
    return run if run is not None and run.ref == ref else None


def cuff_now(run: Run | None) -> dict[str, Any]:
    """What the live display shows: the cuff pressure, and whether the cuff inflates or
    already lets the air out (templates/vitals/_cuff.html)."""
    handle = run.handle if run is not None else None
    return {"pressure": (handle.pressure or 0) if handle else 0,
            "deflating": bool(handle.deflating) if handle else False}


def finish(app: Flask, ref: str) -> None:
    """Forget the visit's run once its outcome has been taken."""
    with _lock:
        if current(app, ref) is not None:
            app.extensions.pop("kiosk_bp_run", None)


def cancel_for(app: Flask, ref: str) -> None:
    """Stop the visit's measurement, if one runs: the cuff deflates at once."""
    run = current(app, ref)
    if run is not None:
        run.handle.cancel()
        finish(app, ref)
