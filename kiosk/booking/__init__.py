"""The booking journey: identify, reason, questions, time, check, confirm (issue 4)."""

from kiosk.booking import card, confirm, identify, views  # noqa: F401  (they register the routes)
from kiosk.booking.blueprint import bp

__all__ = ["bp"]
