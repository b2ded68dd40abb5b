"""The doctor's desk work around a consultation: opening hours, live readings, the written note."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, g, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.doctor import auth, availability, day, summary
from kiosk.doctor.blueprint import bp
from kiosk.doctor.words import live_state, reading_rows
from kiosk.portal.base import see_other
from kiosk.security.vault import get_vault


def weekday_word(weekday: int) -> str:
    words = (_("Lundi"), _("Mardi"), _("Mercredi"), _("Jeudi"), _("Vendredi"), _("Samedi"),
             _("Dimanche"))
    return words[weekday]


def _invalid_words(reason: str) -> str:
    words = {
        "time": _("Écrivez les heures comme 14:30."),
        "order": _("L'heure de fin doit venir après l'heure de début."),
        "overlap": _("Ces heures recouvrent une ouverture de ce jour-là."),
        "weekday": _("Choisissez un jour de la semaine."),
        "kind": _("Choisissez : absence ou heures en plus."),
        "past": _("Ce jour est passé."),
        "far": _("Ce jour est à plus d'un an."),
        "extra_needs_times": _("Pour des heures en plus, donnez le début et la fin."),
        "date": _("Écrivez la date comme 2026-12-24."),
    }
    return words.get(reason, _("Cette demande n'est pas valable."))


def _scheduling() -> dict[str, Any]:
    return {"slot_minutes": int(current_app.config["KIOSK"]["slot_minutes"]), "tz": site_tz(),
            "actor": auth.actor_of(g.doctor.id), "now": utcnow()}


def _availability_page(error: str = "", status: int = 200, posted: str = "") -> tuple[str, int]:
    """The page; after a refused change, ``posted`` names the form whose typing is kept."""
    tz = site_tz()
    now = utcnow()
    found = availability.pattern(get_db(), g.doctor.practitioner_id, now.astimezone(tz).date())
    weekly = [{"id": a.id, "day": weekday_word(a.weekday),
               "start": availability.hhmm(a.start_minute), "end": availability.hhmm(a.end_minute)}
              for a in found.weekly]
    exceptions = [{
        "id": e.id,
        "day": format_date(e.day, "EEEE d MMMM y"),
        "kind": _("Absence") if e.kind == "off" else _("Heures en plus"),
        "hours": (_("toute la journée") if e.start_minute is None else
                  f"{availability.hhmm(e.start_minute)} – {availability.hhmm(e.end_minute or 0)}"),
    } for e in found.exceptions]
    outside = availability.booked_in_closed_times(get_db(), g.doctor.practitioner_id, tz, now)
    return render_template(
        "doctor/availability.html", doctor=g.doctor, weekly=weekly, exceptions=exceptions,
        weekdays=[(i, weekday_word(i)) for i in range(7)], error=error, outside=outside,
        weekly_form=request.form if posted == "weekly" else {},
        exception_form=request.form if posted == "exception" else {},
    ), status


@bp.get("/availability")
@auth.doctor_required
def availability_page() -> tuple[str, int]:
    """The weekly openings and the exceptions, with forms to change them."""
    return _availability_page()


@bp.post("/availability/weekly")
@auth.doctor_required
def availability_add() -> Response | tuple[str, int]:
    try:
        weekday = int(request.form.get("weekday", ""))
        start = availability.minutes_of(request.form.get("start", ""))
        end = availability.minutes_of(request.form.get("end", ""))
        availability.add_weekly(get_db(), g.doctor.practitioner_id, weekday, start, end,
                                **_scheduling())
    except availability.Invalid as exc:
        return _availability_page(_invalid_words(str(exc)), 400, "weekly")
    except ValueError:
        return _availability_page(_invalid_words("weekday"), 400, "weekly")
    return see_other("doctor.availability_page")


@bp.post("/availability/weekly/<int:availability_id>/delete")
@auth.doctor_required
def availability_remove(availability_id: int) -> Response:
    try:
        availability.remove_weekly(get_db(), g.doctor.practitioner_id, availability_id,
                                   **_scheduling())
    except LookupError:
        abort(404)
    return see_other("doctor.availability_page")


@bp.post("/availability/exception")
@auth.doctor_required
def exception_add() -> Response | tuple[str, int]:
    start_text = request.form.get("start", "").strip()
    end_text = request.form.get("end", "").strip()
    try:
        try:
            chosen = date.fromisoformat(request.form.get("day", "").strip())
        except ValueError as exc:
            raise availability.Invalid("date") from exc
        start = availability.minutes_of(start_text) if start_text else None
        end = availability.minutes_of(end_text) if end_text else None
        availability.add_exception(get_db(), g.doctor.practitioner_id, chosen,
                                   request.form.get("kind", ""), start, end, **_scheduling())
    except availability.Invalid as exc:
        return _availability_page(_invalid_words(str(exc)), 400, "exception")
    return see_other("doctor.availability_page")


@bp.post("/availability/exception/<int:exception_id>/delete")
@auth.doctor_required
def exception_remove(exception_id: int) -> Response:
    try:
        availability.remove_exception(get_db(), g.doctor.practitioner_id, exception_id,
                                      **_scheduling())
    except LookupError:
        abort(404)
    return see_other("doctor.availability_page")


@bp.get("/appointment/<int:appointment_id>/readings")
@auth.doctor_required
def readings(appointment_id: int) -> str:
    """The readings list, polled by the appointment page so new ones appear live; the
    appointment's state and its buttons come along (swapped out of band), so "En
    consultation" shows while the call is on and "Marquer terminé" goes once it is done."""
    try:
        found = day.readings_only(get_db(), get_vault(), appointment_id,
                                  g.doctor.practitioner_id)
    except day.NotFound:
        abort(404)
    return render_template("doctor/_readings.html", appointment_id=appointment_id,
                           readings=reading_rows(found), appointment=found.appointment,
                           live=True, **live_state(found.appointment))


@bp.post("/appointment/<int:appointment_id>/note")
@auth.doctor_required
def note(appointment_id: int) -> Response | tuple[str, int]:
    """Save the summary and prescription; the kiosk prints them at the end of the call."""
    try:
        summary.save(get_db(), get_vault(), appointment_id, g.doctor.practitioner_id,
                     request.form.get("summary", ""), request.form.get("prescription", ""),
                     auth.actor_of(g.doctor.id), utcnow())
    except day.NotFound:
        abort(404)
    except summary.NothingWritten:
        return see_other("doctor.appointment", appointment_id=appointment_id,
                          note="empty", _anchor="note")
    return see_other("doctor.appointment", appointment_id=appointment_id, note="saved",
                      _anchor="note")
