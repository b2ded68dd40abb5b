"""The one measuring service for the cuff: start, progress, typed outcome.

The vitals journey's live screen and the call's blood-pressure panel both call it; neither
talks to the cuff's handle itself. One cuff, one person at a time: the run lives on the app.

A reading is only a result when the numbers are possible for a person (issue 15 item 11):
anything outside :data:`RANGES`, or a systolic not above the diastolic, is :class:`OutOfRange`,
and the screens ask to measure again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask

from kiosk.devices.service import manager
from kiosk.vitals.problems import PROBLEMS, Problem, problem_of
from peripherals.errors import DeviceError, MeasurementCancelled, PeripheralError
from peripherals.models import BloodPressureReading

_lock = threading.Lock()
SETTLE = 3.0  # longest wait for a cancelled measurement to deflate before the next starts
_KEY = "kiosk_bp_run"

# Physiological limits (mmHg, beats per minute), both ends included. A frame outside them is
# a cuff that slipped or a garbled reading, never a result to show or keep.
RANGES = {"systolic": (50, 260), "diastolic": (30, 160), "pulse": (30, 220)}


@dataclass
class Run:
    """A measurement started for a visit (``ref``), with the device's handle."""

    ref: str
    handle: Any


@dataclass(frozen=True)
class Progress:
    """Still measuring: the cuff pressure now, and whether the air is going out."""

    pressure: int
    deflating: bool


@dataclass(frozen=True)
class Measured:
    """A reading with possible values."""

    reading: BloodPressureReading


@dataclass(frozen=True)
class Fault:
    """The cuff could not measure (or could not start); ``problem`` says it plainly."""

    problem: Problem


@dataclass(frozen=True)
class OutOfRange:
    """The cuff answered numbers no person has: measure again."""

    reading: BloodPressureReading


@dataclass(frozen=True)
class Cancelled:
    """Arrêter was touched, or the visit left: the cuff deflated."""


Outcome = Measured | Fault | OutOfRange | Cancelled

IDLE = Progress(0, False)


def plausible(reading: BloodPressureReading) -> bool:
    """Whether the reading's numbers are possible for a person."""
    values = {"systolic": reading.systolic, "diastolic": reading.diastolic,
              "pulse": reading.pulse}
    inside = all(low <= values[name] <= high for name, (low, high) in RANGES.items())
    return inside and reading.systolic > reading.diastolic


def start(app: Flask, ref: str, deadline: float) -> Fault | None:
    """Start a reading for the visit ``ref``; a Fault when the cuff cannot start one."""
    devices = manager()
    if devices is None:
        return Fault(PROBLEMS["unavailable"])
    with _lock:
        current: Run | None = app.extensions.get(_KEY)
        if current is not None and not current.handle.done():
            current.handle.cancel()  # a visit left mid-measurement: deflate before the next
            waited = time.monotonic() + SETTLE
            while not current.handle.done() and time.monotonic() < waited:
                time.sleep(0.05)
        try:
            handle = devices.start_bp_measurement(deadline=deadline)
        except DeviceError:
            return Fault(PROBLEMS["unavailable"])
        app.extensions[_KEY] = Run(ref, handle)
    return None


def _current(app: Flask, ref: str) -> Run | None:
    run: Run | None = app.extensions.get(_KEY)
    return run if run is not None and run.ref == ref else None


def running(app: Flask, ref: str) -> bool:
    """Whether the visit ``ref`` has a measurement started (running or with its outcome)."""
    return _current(app, ref) is not None


def progress(app: Flask, ref: str) -> Progress:
    """What the live display shows (templates/vitals/_cuff.html); zero when nothing runs."""
    run = _current(app, ref)
    if run is None:
        return IDLE
    return Progress(run.handle.pressure or 0, bool(run.handle.deflating))


def poll(app: Flask, ref: str) -> Progress | Outcome | None:
    """None when the visit has no measurement; Progress while it runs; else its outcome,
    given once (the run is then forgotten)."""
    run = _current(app, ref)
    if run is None:
        return None
    if not run.handle.done():
        return progress(app, ref)
    _finish(app, ref)
    try:
        reading: BloodPressureReading = run.handle.result(0)
    except MeasurementCancelled:
        return Cancelled()
    except PeripheralError as error:
        return Fault(problem_of(error))
    return Measured(reading) if plausible(reading) else OutOfRange(reading)


def _finish(app: Flask, ref: str) -> None:
    with _lock:
        if _current(app, ref) is not None:
            app.extensions.pop(_KEY, None)


def cancel(app: Flask, ref: str) -> None:
    """Stop the visit's measurement, if one runs: the cuff deflates at once."""
    run = _current(app, ref)
    if run is not None:
        run.handle.cancel()
        _finish(app, ref)
