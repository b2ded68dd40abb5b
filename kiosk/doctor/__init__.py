"""The doctor portal: sign-in, the day's list and an appointment page (issue 6, first part).

The portal is for a doctor at a desk, not for a person at the kiosk: it has its own plain
layout. Roles are checked in the views (SECURITY.md item 21), never in the templates.
"""

from __future__ import annotations

# Importing the view modules registers their routes on bp (call: the call's signalling).
from kiosk.doctor import call, desk, views  # noqa: F401
from kiosk.doctor.blueprint import bp

__all__ = ["bp"]
