"""Measuring blood pressure: guided step by step, explained in plain words, shared with the doctor.

The guidance is the product (issue 5): readings depend on posture, rest and cuff fit. One
instruction per screen with a picture; a rest countdown; two readings a minute apart, averaged.
The measurement runs on the cuff's thread; the screen asks for its progress twice a second and
never waits on the device itself.
"""

from __future__ import annotations

from flask import Flask

from kiosk.core.db import get_db
from kiosk.security.sessions import interface
from kiosk.vitals import measurements, measuring, result, views  # noqa: F401  (views and result register routes)
from kiosk.vitals.blueprint import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """When a visit ends: stop its measurement (the cuff deflates), forget unshared results."""
    def forget(ref: str) -> None:
        measuring.cancel(app, ref)
        measurements.forget_visit(get_db(app), ref)

    interface(app).end_hooks.append(forget)
