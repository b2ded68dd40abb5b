"""The appointment journey's blueprint, on which its screen modules register their routes."""

from flask import Blueprint

bp = Blueprint("appointment", __name__, url_prefix="/appointment")
STEPS = 3  # find, see, change
