"""Fixtures of the doctor portal tests: a standing clock, the seeded app, a doctor, a booking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from portal_support import MONDAY_9AM_PARIS, Doctor, book_for

from kiosk import doctor
from kiosk.core.db import get_db
from kiosk.core.records import Appointment
from kiosk.demo.data import seed_demo


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Monday 30 November 2026, 9:00 in Paris, standing still until shifted."""
    with time_machine.travel(MONDAY_9AM_PARIS, tick=False) as traveller:
        yield traveller


@pytest.fixture
def portal_app(app: Flask, clock: time_machine.Traveller) -> Flask:
    """The kiosk app with the portal registered and the demo data seeded."""
    if "doctor" not in app.blueprints:
        app.register_blueprint(doctor.bp)
    seed_demo(get_db(app), "Mairie de Test", "Europe/Paris", 15)
    return app


@pytest.fixture
def martins(portal_app: Flask) -> Appointment:
    """Jeanne Durand's appointment with Dr Martin this morning."""
    return book_for(portal_app, "Martin", "martin-1")


@pytest.fixture
def dr(portal_app: Flask) -> Doctor:
    return Doctor(portal_app.test_client())
