"""Dates and times written the way the screen says them: "Aujourd'hui à 14 h 30"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from kiosk.models import Practitioner


def upper_first(text: str) -> str:
    """The first letter upper-cased, the rest untouched (str.capitalize lowercases names)."""
    return text[:1].upper() + text[1:]


def day_words(day: date, today: date) -> str:
    """ "Aujourd'hui", "Demain" or "Mardi 2 décembre"."""
    if day == today:
        return _("Aujourd'hui")
    if day == today + timedelta(days=1):
        return _("Demain")
    return upper_first(format_date(day, "EEEE d MMMM"))


def time_words(moment: datetime) -> str:
    """ "14 h 30" in French, "2:30 PM" in English (in the site's time zone)."""
    if str(get_locale()) == "fr":
        return format_time(moment, "H 'h' mm")
    return format_time(moment, "h:mm a")


def doctor_words(doctor: Practitioner) -> str:
    """ "le docteur Claire Martin": no abbreviation (FALC)."""
    return _("le docteur %(name)s", name=f"{doctor.first_name} {doctor.surname}")


def slot_words(starts_at: datetime, doctor: Practitioner, today: date, local_day: date) -> str:
    """ "Aujourd'hui à 14 h 30 avec le docteur Claire Martin"."""
    return _(
        "%(day)s à %(time)s avec %(doctor)s",
        day=day_words(local_day, today),
        time=time_words(starts_at),
        doctor=doctor_words(doctor),
    )
