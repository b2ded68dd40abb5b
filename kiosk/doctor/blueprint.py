"""The doctor portal's blueprint, on which its view modules register their routes."""

from flask import Blueprint

bp = Blueprint("doctor", __name__, url_prefix="/doctor")
