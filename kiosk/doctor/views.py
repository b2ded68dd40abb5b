"""The portal's pages: sign-in and sign-out, the day's list, an appointment."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, g, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from kiosk.booking.questions import question_words, reason_word
from kiosk.consult import signals
from kiosk.core.clock import site_tz
from kiosk.core.db import get_db
from kiosk.core.records import SignalMessage, utcnow
from kiosk.doctor import auth, day, summary
from kiosk.doctor.blueprint import bp
from kiosk.doctor.words import live_state, reading_rows, state_words
from kiosk.portal.base import Portal, install, see_other
from kiosk.security.vault import get_vault

# The furthest a date switch may go from today, so the parameter stays in a sane range.
MAX_DAYS_AWAY = 366
# Polled by an open page every few seconds: not the doctor's activity. (The call's signal
# poll is passive too, except while a patient is on the line: see _passive.)
PASSIVE_ENDPOINTS = frozenset({"doctor.readings"})


def _patient_on_the_line(appointment_id: object) -> bool:
    """True while the kiosk has joined the doctor's latest ring and nobody said goodbye: the
    doctor is talking to someone, even without a click. (The kiosk's own inactivity wipe ends
    the visit, and with it the call, when the patient is gone.)"""
    if not isinstance(appointment_id, int):
        return False
    with get_db().read() as db:
        def latest(kind: str) -> int | None:
            return db.scalar(select(func.max(SignalMessage.id)).where(
                SignalMessage.appointment_id == appointment_id, SignalMessage.kind == kind))

        ring, bye = latest("ring"), latest("bye")
        if ring is None or (bye is not None and bye > ring):
            return False
        joined = db.scalar(select(SignalMessage.id).where(
            SignalMessage.appointment_id == appointment_id, SignalMessage.sender == "kiosk",
            SignalMessage.kind == "ready", SignalMessage.id > ring).limit(1))
    return joined is not None


def _passive() -> bool:
    """A request the page makes by itself: it must not count as the doctor's activity, or an
    open appointment page would keep an absent doctor signed in for ever (SECURITY.md item 21).
    """
    if request.endpoint in PASSIVE_ENDPOINTS:
        return True
    if request.endpoint == "doctor.call_signal" and request.method == "GET":
        return not _patient_on_the_line((request.view_args or {}).get("appointment_id"))
    return False


install(bp, Portal(
    name="doctor", account_key=auth.ACCOUNT_KEY, signin_action="doctor.signin", account="doctor",
    refusals={403: lambda: _("Cette page est réservée aux médecins."),
              404: lambda: _("Ce rendez-vous n'existe pas ou ne vous concerne pas.")},
    passive=_passive))


def _chosen_day() -> date:
    today = utcnow().astimezone(site_tz()).date()
    raw = request.args.get("day")
    if raw is None:
        return today
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        abort(400)
    if abs((chosen - today).days) > MAX_DAYS_AWAY:
        abort(400)
    return chosen


@bp.get("/")
@auth.doctor_required
def index() -> str:
    """The day's appointments of the signed-in doctor, with a previous/next day switch."""
    chosen = _chosen_day()
    tz = site_tz()
    appointments = day.day_list(get_db(), g.doctor.practitioner_id, chosen, tz)
    on_call = signals.calls(get_db(), [a.id for a in appointments])
    rows = [
        {
            "id": a.id,
            "time": a.slot.starts_at.astimezone(tz).strftime("%H:%M"),
            "name": f"{a.patient.first_name} {a.patient.surname}",
            "state": state_words(status),
            "status": status,
        }
        for a in appointments
        for status in [day.shown_status(a.status, a.id in on_call)]
    ]
    return render_template(
        "doctor/day.html",
        doctor=g.doctor,
        day_words=format_date(chosen, "EEEE d MMMM y"),
        rows=rows,
        previous=(chosen - timedelta(days=1)).isoformat(),
        next=(chosen + timedelta(days=1)).isoformat(),
    )


@bp.get("/appointment/<int:appointment_id>")
@auth.doctor_required
def appointment(appointment_id: int) -> str:
    """One appointment: identity, reason and answers, blood-pressure readings. Audited."""
    tz = site_tz()
    try:
        found = day.details(get_db(), get_vault(), appointment_id, g.doctor.practitioner_id,
                            auth.actor_of(g.doctor.id), utcnow())
    except day.NotFound:
        abort(404)
    answers = [
        (question_words(name), _("Oui") if value else _("Non"))
        for name, value in found.clinical.answers.items()
    ]
    readings = reading_rows(found)
    starts = found.appointment.slot.starts_at.astimezone(tz)
    return render_template(
        "doctor/appointment.html",
        doctor=g.doctor,
        appointment=found.appointment,
        name=f"{found.patient.first_name} {found.patient.surname}",
        birth_date=format_date(found.patient.birth_date, "d MMMM y"),
        when=f"{format_date(starts.date(), 'EEEE d MMMM y')} {starts.strftime('%H:%M')}",
        day=starts.date().isoformat(),
        reason=reason_word(found.clinical.reason),
        answers=answers,
        readings=readings,
        written=summary.written(get_db(), get_vault(), appointment_id),
        note_state=request.args.get("note", ""),
        marked=_marked_notice(request.args.get("marked", ""), found.appointment.status),
        **live_state(found.appointment),
    )


def _marked_notice(marked: str, status: str) -> str:
    """After a refused "Marquer …": the plain reason."""
    if marked != "already":
        return ""
    return _("Rien n'a changé : ce rendez-vous est déjà « %(state)s ».",
             state=state_words(status))


@bp.post("/appointment/<int:appointment_id>/status")
@auth.doctor_required
def status(appointment_id: int) -> Response:
    """Mark the appointment done or no-show (an allow-list); audited."""
    new = request.form.get("status", "")
    if new not in day.FINAL_STATUSES:
        abort(400)
    try:
        day.set_status(get_db(), appointment_id, g.doctor.practitioner_id, new,
                       auth.actor_of(g.doctor.id), utcnow())
    except day.NotFound:
        abort(404)
    except day.NotChangeable:
        abort(400)
    except day.AlreadyMarked:
        return see_other("doctor.appointment", appointment_id=appointment_id, marked="already")
    return see_other("doctor.appointment", appointment_id=appointment_id)
