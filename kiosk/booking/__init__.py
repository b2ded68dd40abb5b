"""The booking journey: identify, reason, questions, time, check, confirm (issue 4)."""

from flask import Blueprint

bp = Blueprint("booking", __name__, url_prefix="/booking")

TOTAL_STEPS = 5  # identity, reason, questions, time, check

from kiosk.booking import card, identify, views  # noqa: E402,F401  (registers the routes)
