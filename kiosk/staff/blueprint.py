"""The staff portal's blueprint, on which its views register their routes."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
