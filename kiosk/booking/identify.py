"""Step 1: who is booking. With the card, or typed on big keys (never free text for dates)."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.booking import draft
from kiosk.booking.blueprint import TOTAL_STEPS, bp
from kiosk.booking.entries import (
    DATE_QUESTIONS,
    DIGITS,
    HINTS,
    LETTERS,
    NAME_EXTRA,
    NIR_KEYS,
    QUESTIONS,
    EntryError,
    clean_birth_date,
    clean_date_part,
    clean_name,
    clean_nir,
    clean_phone,
    clean_year,
    date_part_options,
    sex_from_nir,
)
from kiosk.booking.service import Identity
from kiosk.booking.words import greeting
from kiosk.core.clock import today
from kiosk.visit.screens import redirect_to, render_screen, requires_visit

# Typed fields: (allowed keys, longest entry, keyboard kind)
FIELDS: dict[str, tuple[str, int, str]] = {
    "surname": (LETTERS + NAME_EXTRA, 40, "letters"),
    "first_name": (LETTERS + NAME_EXTRA, 40, "letters"),
    "year": (DIGITS, 4, "digits"),
    "nir": (NIR_KEYS, 15, "digits"),
    "phone": (DIGITS, 10, "digits"),
}
ORDER = ("surname", "first_name", "day", "month", "year", "nir", "phone")


def _screen(template: str, **context: Any) -> str:
    return render_screen(template, step=1, total=TOTAL_STEPS, **context)


def _hint(field: str) -> str:
    """The line under a field; the number read from a card (one without a birth date) is
    said to come from it, never sent looking for it."""
    if field == "nir" and draft.draft().typed_from_card and draft.typed("nir"):
        return _("Il vient de votre carte Vitale. Touchez Valider.")
    return HINTS.get(field, lambda: "")()


def _previous(field: str) -> str:
    index = ORDER.index(field)
    return "/booking/" if index == 0 else f"/booking/you/{ORDER[index - 1]}"


@bp.get("/you/<field>")
@requires_visit
def typed(field: str, error: str = "") -> str:
    """One field per screen: letters for names, digits for the year, NIR and phone."""
    if field in ("day", "month"):
        return _date_part(field, error)
    if field not in FIELDS:
        abort(404)
    keys, _longest, kind = FIELDS[field]
    return _screen(
        "booking/keypad.html",
        question=QUESTIONS[field](),
        value=draft.typed(field),
        keys=list(keys),
        kind=kind,
        action=f"/booking/you/{field}",
        error=error,
        optional=field in ("nir", "phone"),
        hint=_hint(field),
        back=_previous(field),
    )


def _date_part(field: str, error: str) -> str:
    return _screen(
        "booking/choices.html",
        question=DATE_QUESTIONS[field](),
        options=date_part_options(field),
        name="value",
        action=f"/booking/you/{field}",
        layout="grid",
        error=error,
        back=_previous(field),
    )


@bp.post("/you/<field>")
@requires_visit
def typed_key(field: str) -> Response | str:
    """A key, Effacer, Passer or Valider on one field."""
    if field in ("day", "month"):
        value = request.form.get("value", "")
        try:
            clean_date_part(field, value)
        except EntryError as problem:
            return typed(field, error=str(problem.message))
        draft.set_typed(field, value)
        return redirect_to("booking.typed", field=ORDER[ORDER.index(field) + 1])
    if field not in FIELDS:
        abort(404)
    keys, longest, _kind = FIELDS[field]
    value = draft.typed(field)
    action = request.form.get("action")
    key = request.form.get("key", "")
    if key:
        if key not in keys or len(key) != 1:
            return typed(field, error=_("Cette touche n'existe pas ici."))
        if len(value) >= longest:
            return typed(field, error=_("C'est déjà assez long. Touchez Valider."))
        draft.set_typed(field, value + key)
        return redirect_to("booking.typed", field=field)
    if action == "erase":
        draft.set_typed(field, value[:-1])
        return redirect_to("booking.typed", field=field)
    if action == "skip" and field in ("nir", "phone"):
        draft.set_typed(field, "")
        return _next_after(field)
    if action == "ok":
        try:
            _check(field, value)
        except EntryError as problem:
            return typed(field, error=str(problem.message))
        return _next_after(field)
    return typed(field, error=_("Touchez une touche ou Valider."))


def _check(field: str, value: str) -> None:
    if field in ("surname", "first_name"):
        clean_name(value)
    elif field == "year":
        year = clean_year(value, today())
        clean_birth_date(
            int(draft.typed("day") or 1), int(draft.typed("month") or 1), year, today()
        )
    elif field == "nir":
        clean_nir(value)
    elif field == "phone":
        clean_phone(value)


def _next_after(field: str) -> Response:
    index = ORDER.index(field)
    if index + 1 < len(ORDER):
        return redirect_to("booking.typed", field=ORDER[index + 1])
    return _finish_typed()


def _finish_typed() -> Response:
    try:
        born = clean_birth_date(
            int(draft.typed("day") or 0),
            int(draft.typed("month") or 0),
            clean_year(draft.typed("year"), today()),
            today(),
        )
        nir = clean_nir(draft.typed("nir")) if draft.typed("nir") else None
        identity = Identity(
            surname=clean_name(draft.typed("surname")),
            first_name=clean_name(draft.typed("first_name")).title(),
            birth_date=born,
            nir=nir,
            phone=clean_phone(draft.typed("phone")) if draft.typed("phone") else None,
            sex=sex_from_nir(nir) if nir else None,
            source="card" if draft.draft().typed_from_card else "typed",
        )
    except (EntryError, ValueError):
        return redirect_to("booking.typed", field="surname")
    draft.set_identity(identity)
    return redirect_to("booking.is_it_you")


@bp.get("/is-it-you")
@requires_visit
def is_it_you() -> Response | str:
    """ "Vous êtes bien Madame Jeanne Martin ?" Oui / Non."""
    identity = draft.identity()
    if identity is None:
        return redirect_to("booking.start")
    options = [
        {"value": "yes", "icon": "yes", "word": _("Oui, c'est moi")},
        {"value": "no", "icon": "no", "word": _("Non")},
    ]
    born = format_date(identity.birth_date, "d MMMM y")
    return _screen(
        "booking/choices.html",
        question=_("Vous êtes bien %(who)s ?", who=greeting(identity)),
        lines=[_("Date de naissance : %(date)s.", date=born)],
        options=options,
        name="answer",
        action="/booking/is-it-you",
        back=_before_is_it_you(),
    )


def _before_is_it_you() -> str:
    """Retour: the list of the card's people, the card screen, or the last typed field."""
    if not draft.came_with_card() or draft.draft().typed_from_card:
        return f"/booking/you/{ORDER[-1]}"
    return "/booking/card/who" if draft.several_on_card() else "/booking/"


@bp.post("/is-it-you")
@requires_visit
def is_it_you_answered() -> Response:
    state = draft.draft()
    if request.form.get("answer") == "yes" and state.identity:
        draft.confirm_identity()
        return redirect_to("booking.reason")
    from_card = draft.came_with_card() and not state.typed_from_card
    draft.forget_identity()
    if from_card:
        # The card is read already: the card screen waits for a choice instead of reading
        # it again, and a family card shows its list of people.
        return redirect_to("booking.card_who" if draft.several_on_card() else "booking.start")
    return redirect_to("booking.typed", field="surname")  # what was typed is still there
