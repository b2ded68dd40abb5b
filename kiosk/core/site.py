"""The site the kiosk stands in: its name (on tickets and calendars) and a consultation's cost."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from kiosk.core.db import get_db
from kiosk.core.records import Site


def site_name() -> str:
    """The site's name as stored, or the setting before the demo data or an admin sets it."""
    with get_db().read() as db:
        site = db.scalars(select(Site).limit(1)).first()
    return site.name if site else str(current_app.config["KIOSK"]["site_name"])


def site_cost() -> int:
    """What a consultation costs, in cents (0: nothing to pay)."""
    with get_db().read() as db:
        site = db.scalars(select(Site).limit(1)).first()
    return site.cost_cents if site else 0
