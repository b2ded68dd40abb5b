"""The second proof (SECURITY.md items 23 and 24): after the code typed or the QR code scanned,
"Pour votre sécurité : mettez votre carte Vitale, ou tapez votre date de naissance."

Nothing says whether the code exists before the second proof: a real, an unknown and a
cancelled code all lead here, and all get one same answer when the proof does not match. A
helper in assisted mode proves the person: the second proof is skipped. Refused tries are
counted (``kiosk.appointment.guessing``): the third in a visit calls staff and closes code entry
for it; too many at the unit pause code entry for everyone.

The birth date is typed as the booking journey types it: a day and a month on a grid, the year
on digits, checked by the same functions (``kiosk.booking.entries``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.appointment import guessing, proof, proving
from kiosk.appointment.blueprint import STEPS, bp
from kiosk.booking.entries import (
    DATE_QUESTIONS,
    DIGITS,
    HINTS,
    QUESTIONS,
    EntryError,
    clean_birth_date,
    clean_date_part,
    clean_year,
    date_part_options,
)
from kiosk.core.clock import today
from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.security.vault import VaultError, get_vault
from kiosk.visit import card_reading
from kiosk.visit import state as visit_state
from kiosk.visit.help_calls import call_staff
from kiosk.visit.screens import redirect_to, render_screen, requires_visit

BORN = ("day", "month", "year")


def _waiting() -> Response | None:
    """The second-proof screens need a ticket in hand, and code entry open."""
    if (stop := proving.closed()) is not None:
        return stop
    if visit_state.load().appointment.proof != visit_state.TICKET:
        return redirect_to("appointment.start")
    return None


@bp.get("/prove")
@requires_visit
def prove() -> Any:
    """ "Pour votre sécurité": the card (when the reader works) or the birth date."""
    if (stop := _waiting()) is not None:
        return stop
    options = []
    if card_reading.reader_works():
        options.append({"value": "card", "icon": "card", "word": _("Avec ma carte Vitale")})
        line = _("Mettez votre carte Vitale, ou tapez votre date de naissance.")
    else:
        line = _("Tapez votre date de naissance.")
    options.append({"value": "born", "icon": "calendar",
                    "word": _("Taper ma date de naissance")})
    return render_screen("booking/choices.html", step=1, total=STEPS,
                         question=_("Pour votre sécurité"), lines=[line], options=options,
                         name="how", action="/appointment/prove", back="/appointment/")


@bp.post("/prove")
@requires_visit
def prove_chosen() -> Response:
    if (stop := _waiting()) is not None:
        return stop
    if request.form.get("how") == "card" and card_reading.reader_works():
        return redirect_to("appointment.prove_card")
    return redirect_to("appointment.born", field="day")


def _typed(field: str) -> str:
    return str((visit_state.load().appointment.born or {}).get(field, ""))


def _set_typed(field: str, value: str) -> None:
    born = dict(visit_state.load().appointment.born or {})
    born[field] = value
    visit_state.update_appointment(born=born)


def _previous(field: str) -> str:
    index = BORN.index(field)
    return "/appointment/prove" if index == 0 else f"/appointment/born/{BORN[index - 1]}"


@bp.get("/born/<field>")
@requires_visit
def born(field: str, error: str = "") -> Any:
    """The birth date on big keys, as when booking: the day, the month, then the year."""
    if field not in BORN:
        abort(404)
    if (stop := _waiting()) is not None:
        return stop
    if field == "year":
        return render_screen("booking/keypad.html", step=1, total=STEPS,
                             question=QUESTIONS["year"](), hint=HINTS["year"](),
                             value=_typed("year"), keys=list(DIGITS), kind="digits",
                             action="/appointment/born/year", error=error,
                             back=_previous(field))
    return render_screen("booking/choices.html", step=1, total=STEPS,
                         question=DATE_QUESTIONS[field](), options=date_part_options(field),
                         name="value", action=f"/appointment/born/{field}", layout="grid",
                         error=error, back=_previous(field))


@bp.post("/born/<field>")
@requires_visit
def born_key(field: str) -> Any:
    if field not in BORN:
        abort(404)
    if (stop := _waiting()) is not None:
        return stop
    if field != "year":
        value = request.form.get("value", "")
        try:
            clean_date_part(field, value)
        except EntryError as problem:
            return born(field, error=str(problem.message))
        _set_typed(field, value)
        return redirect_to("appointment.born", field=BORN[BORN.index(field) + 1])
    typed, key = _typed("year"), request.form.get("key", "")
    if key:
        if len(key) != 1 or key not in DIGITS:
            return born(field, error=_("Cette touche n'existe pas ici."))
        if len(typed) >= 4:
            return born(field, error=_("C'est déjà assez long. Touchez Valider."))
        _set_typed("year", typed + key)
        return redirect_to("appointment.born", field="year")
    if request.form.get("action") == "erase":
        _set_typed("year", typed[:-1])
        return redirect_to("appointment.born", field="year")
    try:  # a date that cannot be anyone's is a typing slip, said as when booking
        date_of_birth = clean_birth_date(clean_date_part("day", _typed("day")),
                                         clean_date_part("month", _typed("month")),
                                         clean_year(typed, today()), today())
    except EntryError as problem:
        return born(field, error=str(problem.message))
    appointment = proof.claimed()  # looked up whatever the ticket holds
    if appointment is None or appointment.patient.birth_date != date_of_birth:
        return proving.refuse()
    return proving.open_proven(appointment)


@bp.get("/prove/card")
@requires_visit
def prove_card(error: str = "") -> Any:
    if (stop := _waiting()) is not None:
        return stop
    return render_screen("appointment/card.html", step=1, total=STEPS,
                         question=_("Mettez votre carte Vitale"),
                         lines=[_("Mettez la carte dans la fente, la puce en premier.")],
                         options=[{"value": "read", "icon": "card", "word": _("Lire ma carte")}],
                         name="choice", action="/appointment/prove/card", error=error,
                         back="/appointment/prove",
                         poll=card_reading.reader_works() and not error)


@bp.post("/prove/card")
@requires_visit
def prove_card_read() -> Any:
    automatic = request.form.get("choice") == "auto"
    outcome = _prove_card_read(automatic)
    return card_reading.htmx_outcome(outcome) if automatic else outcome


def _prove_card_read(automatic: bool) -> Any:
    if (stop := _waiting()) is not None:
        return stop
    try:
        contents = card_reading.read_now(automatic)
    except card_reading.NotInYet:
        return Response(status=204)
    except card_reading.CardProblem as problem:
        return prove_card(problem.message), 200
    nirs = {holder.nir for holder in contents.beneficiaries}
    appointment = proof.claimed()
    token = appointment.patient.nir_token if appointment is not None else None
    try:
        match = bool(token) and get_vault().decrypt(token) in nirs  # type: ignore[arg-type]
    except VaultError:
        match = False
    if appointment is None or not match:
        return proving.refuse()
    return proving.open_proven(appointment, by_card=True)


@bp.get("/too-many")
@requires_visit
def too_many() -> Any:
    """The third refused try of the visit: staff are called, code entry is closed."""
    if (visit_state.load().appointment.tries or 0) < guessing.VISIT_LIMIT:
        return redirect_to("appointment.start")
    question = _("Trop d'essais. J'appelle le pharmacien.")
    return render_screen("appointment/result.html", question=question,
                         lines=[_("Restez ici. Quelqu'un arrive pour vous aider.")],
                         status=question, back="/")


@bp.get("/paused")
@requires_visit
def paused() -> Any:
    """Code entry is paused for the whole unit: say so, and offer the other ways."""
    if guessing.paused_until(get_db(), utcnow()) is None:
        return redirect_to("appointment.start")
    options = []
    if card_reading.reader_works():
        options.append({"value": "card", "icon": "card", "word": _("Avec ma carte Vitale")})
    options.append({"value": "help", "icon": "help", "word": _("Appeler le pharmacien")})
    return render_screen("booking/choices.html", step=1, total=STEPS,
                         question=_("Les codes sont en pause."),
                         lines=[_("Trop de codes faux ont été tapés ici."),
                                _("Utilisez votre carte Vitale, ou appelez le pharmacien.")
                                if card_reading.reader_works()
                                else _("Appelez le pharmacien.")],
                         options=options, name="how", action="/appointment/paused",
                         back="/appointment/")


@bp.post("/paused")
@requires_visit
def paused_chosen() -> Response:
    if request.form.get("how") == "card":
        return redirect_to("appointment.card")
    visit_state.update(help_from="/appointment/")
    call_staff("/appointment/paused")
    return redirect_to("welcome.help_called")
