"""The staff portal (issue 8): pharmacists, municipal agents and admins.

It shares the doctor portal's sign-in (kiosk.doctor.auth: argon2, lockout, re-authentication
after inactivity) with its own session key, and checks roles in the views (SECURITY.md item 21).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from kiosk.staff import views  # noqa: E402,F401  (registers the routes on bp)

__all__ = ["bp"]
