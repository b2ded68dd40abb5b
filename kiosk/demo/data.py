"""Demo data: one site, three doctors with two weeks of slots, one staff and one doctor account.

The demo passwords are printed by ``kiosk demo``; they exist only in demo databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from kiosk.core.db import Database, get_db
from kiosk.core.records import Account, Availability, Practitioner, Site, Slot, utcnow
from kiosk.doctor.scheduling import generate_slots
from kiosk.security.accounts import hash_password

DEMO_STAFF = ("sophie", "demo-sophie", "Sophie Bernard", "pharmacist")
DEMO_DOCTOR = ("dr.martin", "demo-martin", "Docteur Claire Martin", "doctor")
DAYS_AHEAD = 14

# (surname, first name, RPPS number, [(weekday, start "HH:MM", end "HH:MM"), ...]); weekday 0
# is Monday. The RPPS numbers are made up (11 digits, right Luhn key): they name no real doctor.
DOCTORS = (
    (
        "Martin",
        "Claire",
        "10001928372",
        [(d, "09:00", "12:00") for d in range(5)] + [(d, "14:00", "17:00") for d in range(5)],
    ),
    ("Benali", "Karim", "10002736451", [(d, "08:30", "12:30") for d in (0, 2, 4, 5)]),
    ("Lefèvre", "Anne", "10003847562",
     [(d, "13:00", "19:00") for d in (1, 3)] + [(5, "09:00", "12:00")]),
)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class SeedReport:
    """What seeding did, for the command line."""

    created_site: bool
    slots_created: int
    slots_total: int


def seed_demo(
    database: Database,
    site_name: str,
    timezone: str,
    slot_minutes: int,
    now: datetime | None = None,
) -> SeedReport:
    """Create the demo records once; on later runs only top up slots for the next 14 days."""
    now = now or utcnow()
    tz = ZoneInfo(timezone)
    with database.write() as db:
        created_site = db.scalar(select(func.count()).select_from(Site)) == 0
        if created_site:
            db.add(
                Site(
                    name=site_name, address="1 place de la Mairie", timezone=timezone, cost_cents=0
                )
            )
            for surname, first_name, rpps, pattern in DOCTORS:
                doctor = Practitioner(surname=surname, first_name=first_name, rpps=rpps)
                doctor.availabilities = [
                    Availability(weekday=w, start_minute=_minutes(a), end_minute=_minutes(b))
                    for w, a, b in pattern
                ]
                db.add(doctor)
            db.flush()
            martin = db.scalar(select(Practitioner).where(Practitioner.surname == "Martin"))
            for username, password, name, role in (DEMO_STAFF, DEMO_DOCTOR):
                db.add(
                    Account(
                        username=username,
                        display_name=name,
                        role=role,
                        password_hash=hash_password(password),
                        practitioner_id=martin.id if role == "doctor" and martin else None,
                        job_title="pharmacienne" if role == "pharmacist" else "",
                    )
                )
        created = 0
        today = now.astimezone(tz).date()
        for doctor in db.scalars(select(Practitioner).where(Practitioner.active)):
            created += generate_slots(db, doctor, today, DAYS_AHEAD, slot_minutes, tz, now)
        db.flush()
        total = db.scalar(select(func.count()).select_from(Slot)) or 0
    return SeedReport(created_site, created, total)


def seed_app(app: Flask) -> SeedReport:
    """Seed the demo data with the app's own site name, time zone and slot length."""
    settings = app.config["KIOSK"]
    return seed_demo(
        get_db(app), settings["site_name"], settings["timezone"], settings["slot_minutes"]
    )
