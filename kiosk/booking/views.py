"""Steps 2 to 5 of booking, then the confirmation: reason, questions, time, check, done."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.booking import draft, free_times, slots
from kiosk.booking.blueprint import bp
from kiosk.booking.free_times import slot_choice
from kiosk.booking.questions import REASONS, question_words, questions_for
from kiosk.booking.steps import slot_taken, step_screen
from kiosk.booking.words import day_words, doctor_words, upper_first
from kiosk.core.clock import today
from kiosk.core.db import get_db
from kiosk.core.records import Practitioner, utcnow
from kiosk.visit.screens import redirect_to, requires_visit


@bp.get("/reason")
@requires_visit
def reason(error: str = "") -> Any:
    if draft.confirmed_identity() is None:
        return redirect_to("booking.start")
    options = mark_chosen([{"value": key, "icon": icon, "word": word()}
                           for key, icon, word in REASONS], draft.draft().reason)
    return step_screen(
        2,
        question=_("Pourquoi voulez-vous voir le médecin ?"),
        options=options,
        name="reason",
        action="/booking/reason",
        layout="grid",
        error=error,
        back=_before_reason(),
    )


def _before_reason() -> str:
    """Retour: "Vous êtes bien … ?", or the card's list of people, where the person chose."""
    if draft.came_with_card() and draft.several_on_card():
        return "/booking/card/who"
    return "/booking/is-it-you"


@bp.post("/reason")
@requires_visit
def reason_chosen() -> Any:
    key = request.form.get("reason", "")
    if key not in {k for k, _i, _w in REASONS}:
        return reason(error=_("Touchez un des boutons."))
    state = draft.draft()
    if state.reason != key:
        # Another reason asks other questions: answers to the old ones would mislead.
        state.answers = {}
    state.reason = key
    draft.save(state)
    return redirect_to("booking.question", name=questions_for(key)[0])


@bp.get("/question/<name>")
@requires_visit
def question(name: str) -> Any:
    clinical = draft.clinical()
    if clinical is None:
        return redirect_to("booking.reason")
    asked = questions_for(clinical.reason)
    if name not in asked:
        abort(404)
    index = asked.index(name)
    answer = clinical.answers.get(name)
    options = mark_chosen([
        {"value": "yes", "icon": "yes", "word": _("Oui")},
        {"value": "no", "icon": "no", "word": _("Non")},
    ], None if answer is None else ("yes" if answer else "no"))
    links = [("/booking/time", "skip", _("Passer les questions"))] if index == 0 else []
    back = "/booking/reason" if index == 0 else f"/booking/question/{asked[index - 1]}"
    return step_screen(
        3,
        question=question_words(name),
        options=options,
        name="answer",
        action=f"/booking/question/{name}",
        links=links,
        back=back,
        lines=[_("Question %(n)s sur %(total)s.", n=index + 1, total=len(asked))],
    )


def mark_chosen(options: list[dict[str, str]], value: object) -> list[dict[str, str]]:
    """Say which button the person chose before, when they come back to a question."""
    for option in options:
        if option["value"] == value and "detail" not in option:
            option["detail"] = _("Votre réponse")
    return options


@bp.post("/question/<name>")
@requires_visit
def question_answered(name: str) -> Any:
    clinical = draft.clinical()
    if clinical is None:
        return redirect_to("booking.reason")
    asked = questions_for(clinical.reason)
    if name not in asked or request.form.get("answer") not in ("yes", "no"):
        abort(400)
    state = draft.draft()
    state.answers = {**state.answers, name: request.form["answer"] == "yes"}
    draft.save(state)
    index = asked.index(name)
    if index + 1 < len(asked):
        return redirect_to("booking.question", name=asked[index + 1])
    return redirect_to("booking.when")


@bp.get("/time")
@requires_visit
def when() -> Any:
    """ "Le plus tôt possible" first, said in words; or another day; or a chosen doctor."""
    if draft.clinical() is None:
        return redirect_to("booking.reason")
    doctor_id = draft.draft().doctor_id
    with get_db().read() as db:
        earliest = slots.earliest_free(db, utcnow(), doctor_id)
        if earliest is not None:
            earliest_doctor = earliest.practitioner
    options = []
    lines = []
    if earliest is not None:
        option = slot_choice(earliest, f"slot:{earliest.id}", "soon")
        option["detail"], option["word"] = option["word"], _("Le plus tôt possible")
        options.append(option)
    else:
        lines.append(_("Il n'y a plus de place en ce moment. Appuyez sur Aide."))
    options.append({"value": "days", "icon": "calendar", "word": _("Choisir un autre jour")})
    options.append(
        {
            "value": "doctor",
            "icon": "doctor",
            "word": _("Choisir le médecin") if doctor_id is None else _("Changer de médecin"),
        }
    )
    if doctor_id is not None and earliest is not None:
        lines.append(_("Avec %(doctor)s.", doctor=doctor_words(earliest_doctor)))
    return step_screen(
        4,
        question=_("Quand voulez-vous voir le médecin ?"),
        options=options,
        name="choice",
        action="/booking/time",
        lines=lines,
        back=_last_question(),
    )


def _last_question() -> str:
    """Retour from the time: the reason's last question."""
    clinical = draft.clinical()
    asked = questions_for(clinical.reason) if clinical else ()
    return f"/booking/question/{asked[-1]}" if asked else "/booking/reason"


@bp.post("/time")
@requires_visit
def when_chosen() -> Any:
    choice = request.form.get("choice", "")
    if choice == "days":
        return redirect_to("booking.days")
    if choice == "doctor":
        return redirect_to("booking.doctor")
    if choice.startswith("slot:") and choice[5:].isascii() and choice[5:].isdigit():
        return _choose_slot(int(choice[5:]))
    abort(400)


def _choose_slot(slot_id: int) -> Any:
    with get_db().read() as db:
        free = slots.is_free(db, slot_id, utcnow())
    if not free:
        return slot_taken(slot_id)
    state = draft.draft()
    state.slot_id = slot_id
    draft.save(state)
    return redirect_to("booking.check")


@bp.get("/days")
@requires_visit
def days() -> Any:
    return step_screen(
        4,
        question=_("Quel jour ?"),
        options=free_times.day_choices(draft.draft().doctor_id),
        name="day",
        action="/booking/days",
        layout="grid",
        back="/booking/time",
    )


@bp.post("/days")
@requires_visit
def day_chosen() -> Any:
    return redirect_to("booking.times", day=free_times.posted_day().isoformat())


@bp.get("/day/<day>")
@requires_visit
def times(day: str) -> Any:
    chosen = free_times.day_in_path(day)
    return step_screen(
        4,
        question=_("À quelle heure ?"),
        lines=[day_words(chosen, today())],
        options=free_times.time_choices(chosen, draft.draft().doctor_id),
        name="choice",
        action="/booking/time",
        layout="times",
        back="/booking/days",
    )


@bp.get("/doctor")
@requires_visit
def doctor() -> Any:
    with get_db().read() as db:
        doctors = db.scalars(
            select(Practitioner).where(Practitioner.active).order_by(Practitioner.surname)
        ).all()
    options = [{"value": "any", "icon": "doctor", "word": _("N'importe quel médecin")}]
    options += [
        {"value": str(d.id), "icon": "doctor", "word": upper_first(doctor_words(d))}
        for d in doctors
    ]
    return step_screen(
        4,
        question=_("Avec quel médecin ?"),
        options=options,
        name="doctor",
        action="/booking/doctor",
        back="/booking/time",
    )


@bp.post("/doctor")
@requires_visit
def doctor_chosen() -> Any:
    value = request.form.get("doctor", "")
    state = draft.draft()
    if value == "any":
        state.doctor_id = None
    elif value.isascii() and value.isdigit():
        with get_db().read() as db:
            if db.get(Practitioner, int(value)) is None:
                abort(400)
        state.doctor_id = int(value)
    else:
        abort(400)
    state.slot_id = None
    draft.save(state)
    return redirect_to("booking.when")
