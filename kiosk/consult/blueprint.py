"""The consultation's blueprint (the kiosk side), on which its views register their routes."""

from flask import Blueprint

bp = Blueprint("consult", __name__, url_prefix="/consult")
