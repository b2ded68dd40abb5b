"""Moving an appointment to another time: earliest first, or a day then a time, and then
"Déplacer votre rendez-vous au jeudi 3 décembre à 9 h 00 ?" before anything moves."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.appointment import proof
from kiosk.appointment.blueprint import STEPS, bp
from kiosk.booking import free_times, slots
from kiosk.booking.service import OtherDoctor, SlotTaken, move
from kiosk.booking.words import day_words, doctor_words, moment_words, slot_words
from kiosk.core.clock import site_tz, today
from kiosk.core.db import get_db
from kiosk.core.records import Slot, utcnow
from kiosk.visit import pages
from kiosk.visit import state as visit_state
from kiosk.visit.screens import redirect_to, render_screen, requires_visit


def _screen(question: str, options: list[dict[str, str]], back: str, **extra: Any) -> str:
    return render_screen("booking/choices.html", step=3, total=STEPS, question=question,
                         options=options, name="choice", action="/appointment/move",
                         back=back, **extra)


@bp.get("/move")
@requires_visit
def move_when(error: str = "") -> Any:
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    doctor_id = appointment.slot.practitioner_id
    with get_db().read() as db:
        earliest = slots.earliest_free(db, utcnow(), doctor_id)
        options = []
        if earliest is not None:
            local = earliest.starts_at.astimezone(site_tz()).date()
            options.append({"value": f"slot:{earliest.id}", "icon": "soon",
                            "word": _("Le plus tôt possible"),
                            "detail": slot_words(earliest.starts_at, earliest.practitioner,
                                                 today(), local)})
    options.append({"value": "days", "icon": "calendar", "word": _("Choisir un autre jour")})
    # With larger text an error takes the place of the sentence, as on the keypads: it says
    # what to do, and the error, the sentence, a choice and "Suite" do not fit together.
    lines = [] if error and pages.text_size() == 2 else [_("Avec le même médecin.")]
    return _screen(_("Quand voulez-vous venir ?"), options, "/appointment/view", error=error,
                   lines=lines)


@bp.post("/move")
@requires_visit
def move_chosen() -> Any:
    """A time was touched: ask first, as cancelling does; nothing moves yet."""
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    choice = request.form.get("choice", "")
    if choice == "days":
        return redirect_to("appointment.move_days")
    number = choice.removeprefix("slot:")
    if not choice.startswith("slot:") or not (number.isascii() and number.isdigit()):
        abort(400)
    with get_db().read() as db:
        chosen = db.get(Slot, int(number))
        free = slots.is_free(db, int(number), utcnow())
    if chosen is not None and chosen.practitioner_id != appointment.slot.practitioner_id:
        return other_doctor()  # never offered here: a forged or stale choice
    if not free:
        return slot_taken()
    visit_state.update_appointment(move_to=int(number))
    return redirect_to("appointment.move_confirm")


def slot_taken() -> Any:
    """The time went to someone else: the choices again, with a plain sentence."""
    return move_when(error=_("Ce créneau vient d'être pris. Choisissez une autre heure."))


def other_doctor() -> Any:
    """A time of another doctor (the screens offer none): the same doctor's times again."""
    return move_when(error=_("Choisissez une heure avec votre médecin."))


def _new_slot() -> Slot | None:
    """The time the person touched, while they are asked to confirm it."""
    slot_id = visit_state.load().appointment.move_to
    if not isinstance(slot_id, int):
        return None
    with get_db().read() as db:
        return db.scalars(select(Slot).options(joinedload(Slot.practitioner))
                          .where(Slot.id == slot_id)).first()


@bp.get("/move/confirm")
@requires_visit
def move_confirm() -> Any:
    """ "Déplacer votre rendez-vous au jeudi 3 décembre à 9 h 00 ?" Oui / Non."""
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    slot = _new_slot()
    if slot is None:
        return redirect_to("appointment.move_when")
    # "confirm": said by voice, it is read back first (kiosk.speech.answers), as for cancelling.
    options = [{"value": "yes", "icon": "yes", "word": _("Oui, déplacer"), "confirm": True},
               {"value": "no", "icon": "no", "word": _("Non, choisir une autre heure")}]
    when = moment_words(slot.starts_at, capital=False)
    return render_screen("booking/choices.html", step=3, total=STEPS,
                         question=_("Déplacer votre rendez-vous au %(when)s ?", when=when),
                         lines=[_("Avec %(doctor)s.", doctor=doctor_words(slot.practitioner)),
                                _("Avant : %(when)s.", when=proof.when(appointment))],
                         options=options, name="answer", action="/appointment/move/confirm",
                         back="/appointment/move")


@bp.post("/move/confirm")
@requires_visit
def move_confirmed() -> Any:
    """Oui: move now (the time may have gone meanwhile). Non: choose another time."""
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    slot_id = visit_state.load().appointment.move_to
    if request.form.get("answer") != "yes" or not isinstance(slot_id, int):
        return redirect_to("appointment.move_when")
    visit_state.update_appointment(move_to=None)
    try:
        move(get_db(), appointment.code, slot_id, proof.actor(), utcnow())
    except OtherDoctor:
        return other_doctor()
    except SlotTaken:
        return slot_taken()
    visit_state.update_appointment(result="moved")
    visit_state.update_appointment(printed=None)
    return redirect_to("appointment.result")


@bp.get("/move/days")
@requires_visit
def move_days() -> Any:
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    options = free_times.day_choices(appointment.slot.practitioner_id)
    return render_screen("booking/choices.html", step=3, total=STEPS, question=_("Quel jour ?"),
                         options=options, name="day", action="/appointment/move/days",
                         layout="grid", back="/appointment/move")


@bp.post("/move/days")
@requires_visit
def move_day_chosen() -> Any:
    return redirect_to("appointment.move_times", day=free_times.posted_day().isoformat())


@bp.get("/move/day/<day>")
@requires_visit
def move_times(day: str) -> Any:
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    chosen = free_times.day_in_path(day)
    options = free_times.time_choices(chosen, appointment.slot.practitioner_id)
    return _screen(_("À quelle heure ?"), options, "/appointment/move/days",
                   lines=[day_words(chosen, today())], layout="times")
