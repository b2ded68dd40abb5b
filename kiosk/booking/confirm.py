"""Step 5 and after: check every answer, confirm atomically, then the reference and ticket."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Response, abort, request
from flask_babel import format_date
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response as BaseResponse

from kiosk.booking import draft
from kiosk.booking.blueprint import TOTAL_STEPS, bp
from kiosk.booking.codes import is_ticket_token
from kiosk.booking.free_times import load_slot
from kiosk.booking.questions import question_words, questions_for, reason_word
from kiosk.booking.service import SlotTaken, book
from kiosk.booking.steps import slot_taken
from kiosk.booking.words import (
    bring_words,
    day_words,
    doctor_words,
    greeting,
    slot_words,
    ticket_lines,
    time_words,
    upper_first,
)
from kiosk.core.clock import site_tz, today
from kiosk.core.db import get_db
from kiosk.core.i18n import current_language
from kiosk.core.records import Appointment, Slot, utcnow
from kiosk.core.site import site_name
from kiosk.devices.printing import print_booking_ticket
from kiosk.security.sessions import current_visit
from kiosk.security.vault import get_vault
from kiosk.visit import pages
from kiosk.visit.assist import visit_actor
from kiosk.visit.screens import redirect_to, render_screen, requires_visit
from voice.spoken import spell_code


def _missing_step() -> BaseResponse | None:
    """Steps in order (SECURITY.md item 10): the first one not done yet, if any."""
    if draft.confirmed_identity() is None:
        return redirect_to("booking.start")
    if draft.clinical() is None:
        return redirect_to("booking.reason")
    if not draft.draft().slot_id:
        return redirect_to("booking.when")
    return None


@bp.get("/check")
@requires_visit
def check() -> Any:
    """Every answer, each one changeable, then Confirmer."""
    if (missing := _missing_step()) is not None:
        return missing
    identity = draft.confirmed_identity()
    clinical = draft.clinical()
    slot_id = draft.draft().slot_id
    assert identity is not None and clinical is not None and slot_id is not None
    slot = load_slot(slot_id)
    if slot is None:
        return redirect_to("booking.when")
    local = slot.starts_at.astimezone(site_tz())
    who = "/booking/" if draft.came_with_card() else "/booking/you/surname"
    answers = [
        (
            question_words(name),
            _("Oui") if clinical.answers[name] else _("Non"),
            f"/booking/question/{name}",
        )
        for name in questions_for(clinical.reason)
        if name in clinical.answers
    ]
    rows = [
        (_("Vous"), greeting(identity), who),
        (_("Date de naissance"), format_date(identity.birth_date, "d MMMM y"), who),
        (_("Motif"), reason_word(clinical.reason), "/booking/reason"),
        *answers,
        (
            _("Rendez-vous"),
            f"{day_words(local.date(), today())}, {time_words(slot.starts_at)}",
            "/booking/time",
        ),
        (_("Médecin"), upper_first(doctor_words(slot.practitioner)), "/booking/doctor"),
    ]
    page = pages.summary_page(rows)  # Confirmer stays in sight: the rest goes on pages
    return render_screen(
        "booking/check.html",
        step=5,
        total=TOTAL_STEPS,
        rows=page.items,
        pager=page,
        key=draft.idempotency_key(),
        back=page.previous or "/booking/time",
    )


@bp.post("/confirm")
@requires_visit
def confirm() -> Any:
    """Book atomically. A slot taken meanwhile gets the next choices, never an error page."""
    if (missing := _missing_step()) is not None:
        return missing
    key = request.form.get("key", "")
    if key != draft.draft().idempotency_key:
        return redirect_to("booking.check")  # a stale page: show the summary again
    identity, clinical = draft.confirmed_identity(), draft.clinical()
    assert identity is not None and clinical is not None
    visit = current_visit()
    slot_id = draft.draft().slot_id
    assert slot_id is not None  # _missing_step() sent the person back otherwise
    try:
        appointment = book(
            get_db(),
            get_vault(),
            slot_id=slot_id,
            identity=identity,
            clinical=clinical,
            idempotency_key=key,
            actor=visit_actor(visit),  # the person, or their helper in assisted mode
            now=utcnow(),
        )
    except SlotTaken:
        return slot_taken(slot_id)
    state = draft.draft()
    state.code = appointment.code
    draft.save(state)
    return redirect_to("booking.done")


def _appointment(code: str) -> Appointment | None:
    with get_db().read() as db:
        return db.scalars(
            select(Appointment)
            .options(joinedload(Appointment.slot).joinedload(Slot.practitioner))
            .where(Appointment.code == code)
        ).first()


def _by_token(token: str) -> Appointment | None:
    with get_db().read() as db:
        return db.scalars(
            select(Appointment)
            .options(joinedload(Appointment.slot).joinedload(Slot.practitioner))
            .where(Appointment.ticket_token == token)
        ).first()


@bp.get("/done")
@requires_visit
def done() -> Any:
    """The reference, its QR code, the ticket, and what happens next."""
    code = draft.draft().code
    appointment = _appointment(code) if code else None
    if appointment is None:
        return redirect_to("booking.check")
    slot = appointment.slot
    local = slot.starts_at.astimezone(site_tz())
    when = slot_words(slot.starts_at, slot.practitioner, today(), local.date())
    with_card = draft.came_with_card()
    state = draft.draft()
    if state.printed is None:  # print once, not on every visit of this screen
        state.printed = print_booking_ticket(
            code=appointment.code, token=appointment.ticket_token, site=site_name(),
            lines=ticket_lines(with_card),
            when_words=slot_words(slot.starts_at, slot.practitioner, today(), local.date(),
                                  printed=True),
        )
        draft.save(state)
    part = pages.parts_page(2)  # with larger text: the code, then what happens next
    return render_screen(
        "booking/done.html",
        part=part,
        back=part.previous,
        code=appointment.code,
        token=appointment.ticket_token,
        today=local.date() == today(),
        spoken_code=spell_code(appointment.code, current_language()),
        when=when,
        printed=state.printed,
        bring=bring_words(with_card, state.printed == "printed"),
        status=_("C'est réservé."),
    )


@bp.get("/qr/<token>.svg")
def qr(token: str) -> Response:
    """The ticket's token as a QR code, scanned back at the kiosk (never the code: SECURITY.md
    item 24). It draws what it is given and looks nothing up, so it tells nothing."""
    if not is_ticket_token(token):
        abort(404)
    # A standalone document (with its XML namespace): svg_inline() would not load as an image.
    buffer = io.BytesIO()
    # make_qr: a regular QR code; segno.make would choose a Micro QR, which scanners often refuse.
    segno.make_qr(token, error="m").save(
        buffer, kind="svg", scale=8, dark="#111111", light="#ffffff", border=2
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/<token>.ics")
def ics(token: str) -> Response:
    """The appointment as iCalendar, for staff to send. No name, no code, no health data in it.

    Found by the ticket's token only: a wrong token, a cancelled appointment and a code (real
    or not) all get the same 404 (SECURITY.md item 24). Limited (security.limits)."""
    appointment = _by_token(token) if is_ticket_token(token) else None
    if appointment is None or appointment.status == "cancelled":
        abort(404)
    slot = appointment.slot
    calendar = Calendar()
    calendar.add("prodid", "-//kiosk//teleconsultation//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.ticket_token}@kiosk")
    event.add("dtstamp", utcnow())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add(
        "summary", _("Téléconsultation avec %(doctor)s", doctor=doctor_words(slot.practitioner))
    )
    event.add("location", site_name())
    calendar.add_component(event)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response
