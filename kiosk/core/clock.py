"""The site's time: its zone, today's date there, and where a local day starts and ends.

Times are stored in UTC (``records.utcnow``); people read and search them in the site's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from kiosk.core.records import utcnow


def site_tz() -> ZoneInfo:
    """The site's time zone, in which times are written and dates searched."""
    return ZoneInfo(current_app.config["KIOSK"]["timezone"])


def today() -> date:
    """Today's date at the site."""
    return utcnow().astimezone(site_tz()).date()


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the local ``day`` starts and the next one starts."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)
