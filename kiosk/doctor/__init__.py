"""The doctor portal: sign-in, the day's list and an appointment page (issue 6, first part).

The portal is for a doctor at a desk, not for a person at the kiosk: it has its own plain
layout. Roles are checked in the views (SECURITY.md item 21), never in the templates.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("doctor", __name__, url_prefix="/doctor")

# Importing the view modules registers their routes on bp.
from kiosk.doctor import desk, views  # noqa: E402,F401

__all__ = ["bp"]
