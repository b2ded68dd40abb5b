"""Fixtures of the doctor portal tests: the seeded app with the portal, a doctor, a booking."""

from __future__ import annotations

import pytest
from flask import Flask
from portal_support import Doctor, book_for

from kiosk import doctor
from kiosk.core.records import Appointment


@pytest.fixture
def portal_app(seeded: Flask) -> Flask:
    """The kiosk app with the portal registered and the demo data seeded (tests/conftest.py
    ``seeded``: Monday 9:00 in Paris, the clock standing)."""
    if "doctor" not in seeded.blueprints:
        seeded.register_blueprint(doctor.bp)
    return seeded


@pytest.fixture
def martins(portal_app: Flask) -> Appointment:
    """Jeanne Durand's appointment with Dr Martin this morning."""
    return book_for(portal_app, "Martin", "martin-1")


@pytest.fixture
def dr(portal_app: Flask) -> Doctor:
    return Doctor(portal_app.test_client())
