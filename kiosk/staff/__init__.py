"""The staff portal (issue 8): pharmacists, municipal agents and admins.

It shares the portal base with the doctor portal (kiosk.portal: one layout, sign-in with argon2,
lockout, idle sign-out, error pages) with its own session key, and checks roles in the views
(SECURITY.md item 21).
"""

from __future__ import annotations

from kiosk.staff import views  # noqa: F401  (registers the routes on bp)
from kiosk.staff.blueprint import bp

__all__ = ["bp"]
