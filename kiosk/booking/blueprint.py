"""The booking journey's blueprint, on which its screen modules register their routes."""

from flask import Blueprint

bp = Blueprint("booking", __name__, url_prefix="/booking")

TOTAL_STEPS = 5  # identity, reason, questions, time, check
