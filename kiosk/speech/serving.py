"""``GET /speech/<key>.wav``: a rendered screen, served back."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from kiosk.speech.rendering import serve

bp = Blueprint("speech", __name__, url_prefix="/speech")


@bp.get("/<key>.wav")
def wav(key: str) -> Response:
    """A rendered screen. The key is a hash; private renders use a per-process secret."""
    return serve(key)
