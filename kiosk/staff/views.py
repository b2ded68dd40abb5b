"""The staff portal's pages: sign-in, the live page, help requests, assisted mode, the journal."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from kiosk.appointment import guessing
from kiosk.core.clock import day_bounds, site_tz
from kiosk.core.db import get_db
from kiosk.core.health import database_state, device_states
from kiosk.core.records import Account, Appointment, HelpRequest, Slot, utcnow
from kiosk.portal import signin as auth
from kiosk.portal.base import Portal, install, see_other
from kiosk.security import audit
from kiosk.speech.health import speech_state
from kiosk.speech.recognition import touch_only_languages
from kiosk.staff.auth import ACCOUNT_KEY, STAFF_ROLES, staff_required
from kiosk.staff.blueprint import bp
from kiosk.staff.words import (
    DEVICE_NAMES,
    age_words,
    appointment_words,
    device_words,
    model_command,
    voice_in_words,
    voice_out_words,
)
from kiosk.visit import assist
from kiosk.visit.screen_names import name_of_path

install(bp, Portal(
    name="staff", account_key=ACCOUNT_KEY, signin_action="staff.signin", account="staff",
    roles=STAFF_ROLES,
    refusals={403: lambda: _("Cette page est réservée au personnel qui a ce rôle."),
              404: lambda: _("Cette demande n'existe plus.")},
    passive=lambda: request.endpoint == "staff.live"))  # the live refresh is not activity


def _live_context() -> dict[str, Any]:
    """Everything the live part of the page shows. No name of a patient, no health value."""
    database, tz, now = get_db(), site_tz(), utcnow()
    start, end = day_bounds(now.astimezone(tz).date(), tz)
    with database.read() as db:
        calls = list(db.scalars(
            select(HelpRequest).where(HelpRequest.resolved_at.is_(None))
            .order_by(HelpRequest.created_at.desc()).limit(50)))
        helpers = {f"account:{a.id}": assist.first_name(a) for a in db.scalars(
            select(Account).where(Account.role.in_(STAFF_ROLES)))}
        appointments = list(db.scalars(
            select(Appointment).join(Slot, Appointment.slot_id == Slot.id)
            .where(Slot.starts_at >= start, Slot.starts_at < end,
                   Appointment.status != "cancelled")
            .options(joinedload(Appointment.slot).joinedload(Slot.practitioner))
            .order_by(Slot.starts_at)))

    def call_row(call: HelpRequest) -> dict[str, Any]:
        return {"id": call.id, "ref": call.session_ref, "screen": name_of_path(call.screen),
                "time": call.created_at.astimezone(tz).strftime("%H:%M"),
                "age": age_words(call.created_at, now),
                "taken_by": helpers.get(call.taken_by or "", "") if call.taken_by else ""}

    devices = device_states()
    speech = speech_state()
    paused_until = guessing.paused_until(database, now)
    touch_only = touch_only_languages()
    return {
        "help_calls": [call_row(c) for c in calls if c.kind == "help"],
        "alerts": [call_row(c) for c in calls if c.kind == "bp_alert"],
        "visits": [
            {"ref": v.ref, "screen": name_of_path(v.screen), "consent": v.consent,
             "helper": v.helper, "age": age_words(v.last_seen_at, now)}
            for v in assist.live_visits(database)
        ],
        "database_ok": database_state()["ok"],
        "devices": [
            (str(DEVICE_NAMES.get(kind, kind)), device_words(str(state.get("state", "unknown"))),
             str(state.get("state", "unknown")))
            for kind, state in devices.items()
        ],
        "voice_in": speech["in"],  # ok, partial or touch_only
        "voice_in_words": voice_in_words(speech["in"], touch_only),
        "model_command": model_command(touch_only),
        "voice_out": speech["out"],
        "voice_out_words": voice_out_words(speech["out"]),
        "appointments": [
            {"time": a.slot.starts_at.astimezone(tz).strftime("%H:%M"),
             "doctor": f"Dr {a.slot.practitioner.first_name} {a.slot.practitioner.surname}",
             "state": appointment_words(a.status)}
            for a in appointments
        ],
        "now": now.astimezone(tz).strftime("%H:%M:%S"),
        # Code entry paused for the unit after too many wrong tries (SECURITY.md item 24).
        "codes_paused_until": paused_until.astimezone(tz).strftime("%H:%M")
        if paused_until is not None else "",
    }


@bp.get("/")
@staff_required()
def index() -> str:
    """The live page: help calls, alerts, visits, devices, the day's appointments."""
    return render_template("staff/index.html", staff=g.staff, **_live_context())


@bp.get("/live")
@staff_required()
def live() -> str:
    """The live part alone, polled by the page every few seconds (htmx)."""
    return render_template("staff/_live.html", staff=g.staff, **_live_context())


def _actor() -> str:
    return auth.actor_of(g.staff.id)


@bp.post("/help/<int:call_id>/coming")
@staff_required()
def coming(call_id: int) -> Response:
    """"J'arrive": the others see who is on the way."""
    now = utcnow()
    with get_db().write() as db:
        call = db.get(HelpRequest, call_id)
        if call is None or call.resolved_at is not None:
            abort(404)
        call.taken_by, call.taken_at = _actor(), now
        audit.record(db, actor=_actor(), action=f"{call.kind}.coming",
                     subject_ref=f"visit:{call.session_ref}", now=now)
    return see_other("staff.index")


@bp.post("/help/<int:call_id>/resolve")
@staff_required()
def resolve(call_id: int) -> Response:
    """The person has been helped (or the alert dealt with)."""
    now = utcnow()
    with get_db().write() as db:
        call = db.get(HelpRequest, call_id)
        if call is None or call.resolved_at is not None:
            abort(404)
        call.resolved_at = now
        audit.record(db, actor=_actor(), action=f"{call.kind}.resolved",
                     subject_ref=f"visit:{call.session_ref}", now=now)
    return see_other("staff.index")


@bp.post("/visit/<ref>/help")
@staff_required()
def offer_help(ref: str) -> Response | tuple[str, int]:
    """"Aider": the kiosk asks the person whether they accept this staff member's help."""
    if not (len(ref) == 12 and ref.isalnum() and ref.isascii()):
        abort(400)
    try:
        assist.offer(get_db(), g.staff, ref, utcnow())
    except LookupError:
        abort(404)
    except assist.AlreadyOffered:
        pass  # someone already asked: the page shows it
    return see_other("staff.index")


@bp.post("/visit/<ref>/stop")
@staff_required()
def stop_helping(ref: str) -> Response:
    """The staff member is done: the consent ends now, and the kiosk's banner goes."""
    if not (len(ref) == 12 and ref.isalnum() and ref.isascii()):
        abort(400)
    assist.end_consent(get_db(), ref, actor=_actor(), now=utcnow())
    return see_other("staff.index")


@bp.post("/codes/resume")
@staff_required()
def resume_codes() -> Response:
    """Code entry was paused for the unit after too many wrong tries: staff resume it now
    (journaled as theirs)."""
    guessing.lift(get_db(), _actor(), utcnow())
    return see_other("staff.index")


@bp.get("/journal")
@staff_required("admin")
def journal() -> str:
    """The audit journal, newest first, filtered by local day, action and actor (admins)."""
    raw_day = request.args.get("day", "").strip()
    try:
        day = date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        abort(400)
    wanted = audit.JournalFilter(day=day, action=request.args.get("action", "").strip()[:100],
                                 actor=request.args.get("actor", "").strip()[:100])
    tz = site_tz()
    with get_db().read() as db:  # staff and doctors by name for the admin; patients stay refs
        names = {f"account:{a.id}": f"{a.display_name} ({a.username})"
                 for a in db.scalars(select(Account))}
    rows = [
        {"at": e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor,
         "who": names.get(e.actor.split(" for ", 1)[0], ""), "action": e.action,
         "subject": e.subject_ref}
        for e in audit.search(get_db(), wanted, tz)
    ]
    return render_template("staff/journal.html", staff=g.staff, rows=rows, wanted=wanted,
                           day=raw_day, limit=audit.PAGE_SIZE)
