"""Dates and times written the way the screen says them: "Aujourd'hui à 14 h 30".

Paper says the date itself ("Jeudi 3 décembre à 8 h 30"): it is read later, when "Demain"
would have become wrong.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_date, format_time, get_locale, to_user_timezone
from flask_babel import gettext as _

from kiosk.booking.service import Identity
from kiosk.core.records import Practitioner


def upper_first(text: str) -> str:
    """The first letter upper-cased, the rest untouched (str.capitalize lowercases names)."""
    return text[:1].upper() + text[1:]


def date_words(day: date, *, capital: bool = True, year: bool = False) -> str:
    """ "Mardi 2 décembre" ("Tuesday 2 December"): the day itself, never "Demain".
    ``capital=False`` inside a sentence: "au mardi 2 décembre"; ``year``: "… 2026"."""
    words = format_date(day, "EEEE d MMMM y" if year else "EEEE d MMMM")
    return upper_first(words) if capital else words


def day_words(day: date, today: date) -> str:
    """ "Aujourd'hui", "Demain" or "Mardi 2 décembre"."""
    if day == today:
        return _("Aujourd'hui")
    if day == today + timedelta(days=1):
        return _("Demain")
    return date_words(day)


def moment_words(moment: datetime, *, capital: bool = True, year: bool = False) -> str:
    """ "Jeudi 3 décembre à 8 h 30", in the site's time zone: what paper says."""
    day = date_words(to_user_timezone(moment).date(), capital=capital, year=year)
    return _("%(day)s à %(time)s", day=day, time=time_words(moment))


def time_words(moment: datetime) -> str:
    """ "14 h 30" in French, "2:30 PM" in English (in the site's time zone)."""
    if str(get_locale()) == "fr":
        return format_time(moment, "H 'h' mm")
    return format_time(moment, "h:mm a")


def doctor_words(doctor: Practitioner) -> str:
    """ "le docteur Claire Martin": no abbreviation (FALC)."""
    return _("le docteur %(name)s", name=f"{doctor.first_name} {doctor.surname}")


def slot_words(
    starts_at: datetime, doctor: Practitioner, today: date, local_day: date, *,
    printed: bool = False,
) -> str:
    """ "Aujourd'hui à 14 h 30 avec le docteur Claire Martin"; ``printed``: "Jeudi 3 décembre
    à 14 h 30 avec …", for paper."""
    return _(
        "%(day)s à %(time)s avec %(doctor)s",
        day=date_words(local_day) if printed else day_words(local_day, today),
        time=time_words(starts_at),
        doctor=doctor_words(doctor),
    )


def bring_words(with_card: bool, on_paper: bool) -> str:
    """What to bring back at the time of the appointment, for this person: the card only to
    someone who used one, the ticket only when it printed."""
    if with_card:
        return _("Apportez votre carte Vitale ou ce ticket.") if on_paper else \
            _("Apportez votre carte Vitale ou ce code.")
    return _("Apportez ce ticket.") if on_paper else _("Apportez ce code, écrit sur un papier.")


def ticket_lines(with_card: bool) -> tuple[str, ...]:
    """The lines under the code on a booking ticket: when to come, what to bring."""
    return (_("Revenez à la borne 10 minutes avant."), bring_words(with_card, True))


def cost_words(cents: int) -> str:
    """What the consultation costs, in words for the person."""
    if cents == 0:
        return _("Vous n'avez rien à payer.")
    euros = f"{cents // 100},{cents % 100:02d}" if cents % 100 else str(cents // 100)
    return _("La consultation coûte %(amount)s euros. Vous payez au pharmacien.", amount=euros)


def greeting(identity: Identity) -> str:
    """ "Madame Jeanne MARTIN", or the name alone when the card does not tell."""
    name = f"{identity.first_name} {identity.surname}"
    if identity.sex == "F":
        return _("Madame %(name)s", name=name)
    if identity.sex == "M":
        return _("Monsieur %(name)s", name=name)
    return name
