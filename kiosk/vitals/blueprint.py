"""The blood-pressure journey's blueprint, on which its screen modules register their routes."""

from flask import Blueprint

bp = Blueprint("vitals", __name__, url_prefix="/vitals")
TOTAL_STEPS = 5  # sit, arm, cuff, rest, measure
