"""The doctor's appointment page in words: the appointment's state, the statuses it may be
given, its readings. The page (``views``) and the desk's live parts (``desk``) both say them."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from kiosk.consult import signals
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.doctor import day


def state_words(status: str) -> str:
    """An appointment's status as the doctor reads it."""
    words = {
        "booked": _("Réservé"),
        "checked-in": _("Arrivé à la borne"),
        "arrived": _("En attente"),
        "in-call": _("En consultation"),
        "fulfilled": _("Terminé"),
        "noshow": _("Absent"),
        "cancelled": _("Annulé"),
    }
    return words.get(status, status)


def live_state(appointment: Any) -> dict[str, Any]:
    """What the page shows of the appointment's state, and re-reads while it is open: the
    state in words ("En consultation" during the call) and the statuses it may be given."""
    shown = day.shown_status(appointment.status,
                             signals.ringing(get_db(), appointment.id) is not None)
    return {"state": state_words(shown), "offered": day.offered_statuses(shown)}


def reading_rows(found: day.Details) -> list[dict[str, str]]:
    """The appointment's readings as the doctor reads them, oldest first."""
    tz = site_tz()
    rows = []
    for r in found.readings:
        words = _("%(sys)s/%(dia)s mmHg, pouls %(pulse)s", sys=r.result.systolic,
                  dia=r.result.diastolic, pulse=r.result.pulse)
        if r.result.irregular:
            words = _("%(reading)s, pouls irrégulier selon le brassard", reading=words)
        rows.append({"time": r.taken_at.astimezone(tz).strftime("%H:%M"), "words": words})
    return rows
