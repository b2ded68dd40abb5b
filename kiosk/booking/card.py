"""Step 1 with the card: read the Carte Vitale, pick the beneficiary, then "Vous êtes bien…?".

A read waits for the device at most CARD_TIMEOUT seconds; every failure gets a plain sentence
and two ways forward: try again, or type the name instead.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk import card_reading
from kiosk.booking import TOTAL_STEPS, bp, draft
from kiosk.booking.entries import sex_from_nir
from kiosk.booking.service import Identity
from kiosk.screens import redirect_to, render_screen, requires_visit
from kiosk.vault import get_vault


def _screen(error: str = "", status: int = 200) -> tuple[str, int]:
    options = [{"value": "read", "icon": "card", "word": _("Lire ma carte")},
               {"value": "typed", "icon": "person", "word": _("Je n'ai pas de carte")}]
    page = render_screen(
        "booking/card.html", step=1, total=TOTAL_STEPS, question=_("Mettez votre carte Vitale"),
        lines=[_("Mettez la carte dans la fente, la puce en premier."),
               _("Laissez-la pendant le rendez-vous.")],
        options=options, name="choice", action="/booking/card", error=error,
        back="/booking/identify", poll=card_reading.reader_works() and not error)
    return page, status


@bp.get("/card")
@requires_visit
def card() -> tuple[str, int]:
    """Ask for the card. With JavaScript, the screen checks every second whether it is in."""
    if not card_reading.reader_works():
        return _screen(card_reading.reader_down_sentence())
    return _screen()


@bp.post("/card")
@requires_visit
def card_read() -> Any:
    """Read the card now ("Lire ma carte", or the screen's own check once a card is in)."""
    if request.form.get("choice") == "typed":
        return redirect_to("booking.typed", field="surname")
    if request.form.get("choice") != "auto":
        return _read(automatic=False)
    # The screen's background check swaps nothing itself: steer htmx to the next screen, or
    # to the error shown in place of the screen.
    return card_reading.htmx_outcome(_read(automatic=True))


def _read(automatic: bool) -> Any:
    try:
        contents = card_reading.read_now(automatic)
    except card_reading.NotInYet:
        return Response(status=204)  # not in yet: the screen asks again in a moment
    except card_reading.CardProblem as problem:
        return _screen(problem.message)
    vault = get_vault()
    state = draft.draft()
    state["card"] = [
        {"surname": h.surname, "first_name": h.first_name,
         "birth_date": h.birth_date.isoformat() if h.birth_date else None,
         "nir": vault.encrypt(h.nir)} for h in contents.beneficiaries]
    draft.save(state)
    if len(contents.beneficiaries) == 1:
        return _choose(0)
    return redirect_to("booking.card_who")


@bp.get("/card/who")
@requires_visit
def card_who() -> Any:
    """Several people on one card (children): who is consulting?"""
    holders = draft.draft().get("card") or []
    if not holders:
        return redirect_to("booking.card")
    options = [{"value": str(i), "icon": "person", "word": f"{h['first_name']} {h['surname']}",
                "detail": _born(h["birth_date"])} for i, h in enumerate(holders)]
    return render_screen("booking/choices.html", step=1, total=TOTAL_STEPS,
                         question=_("Qui a rendez-vous ?"), options=options, name="who",
                         action="/booking/card/who", back="/booking/card")


def _born(iso: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(iso), "d MMMM y") if iso else ""


@bp.post("/card/who")
@requires_visit
def card_who_chosen() -> Any:
    value = request.form.get("who", "")
    holders = draft.draft().get("card") or []
    if not (value.isascii() and value.isdigit() and int(value) < len(holders)):
        return redirect_to("booking.card_who")
    return _choose(int(value))


def _choose(index: int) -> Response:
    from datetime import date

    holder = draft.draft()["card"][index]
    nir = get_vault().decrypt(holder["nir"])
    if holder["birth_date"] is None:
        # The card has no calendar date (day or month 00): ask for it, names already filled.
        draft.set_typed("surname", holder["surname"])
        draft.set_typed("first_name", holder["first_name"])
        draft.set_typed("nir", nir)
        return redirect_to("booking.typed", field="day")
    draft.set_identity(Identity(
        surname=holder["surname"].upper(), first_name=holder["first_name"].title(),
        birth_date=date.fromisoformat(holder["birth_date"]), nir=nir, sex=sex_from_nir(nir),
        source="card"))
    return redirect_to("booking.is_it_you")
