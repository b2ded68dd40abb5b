"""Step 1 with the card: read the Carte Vitale, pick the beneficiary, then "Vous êtes bien…?".

A read waits for the device at most CARD_TIMEOUT seconds; every failure gets a plain sentence
and two ways forward: try again, or type the name instead.
"""

from __future__ import annotations

import time
from typing import Any

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.booking import TOTAL_STEPS, bp, draft
from kiosk.booking.entries import sex_from_nir
from kiosk.booking.service import Identity
from kiosk.devices import manager
from kiosk.devices import state as device_state
from kiosk.screens import redirect_to, render_screen, requires_visit
from kiosk.vault import get_vault
from peripherals.errors import (
    CardRemoved,
    DeviceError,
    NoCard,
    NotAVitaleCard,
    PeripheralError,
)

CARD_TIMEOUT = 8.0
ARRIVAL_WAIT = 3.0


def _problem(error: PeripheralError) -> str:
    if isinstance(error, NotAVitaleCard):
        return _("Cette carte n'est pas une carte Vitale. Reprenez-la.")
    if isinstance(error, CardRemoved):
        return _("Vous avez retiré la carte trop tôt. Remettez-la et attendez.")
    if isinstance(error, NoCard):
        return _("Je ne trouve pas de carte. Mettez-la dans la fente, la puce en premier.")
    if isinstance(error, DeviceError):
        return _("Le lecteur de carte ne marche pas. Touchez « Je n'ai pas de carte ».")
    return _("La carte n'a pas pu être lue. Réessayez, ou touchez « Je n'ai pas de carte ».")


def reader_works() -> bool:
    """True when the card reader is configured and answering."""
    return device_state("card") == "ok"


def _screen(error: str = "", status: int = 200) -> tuple[str, int]:
    options = [{"value": "read", "icon": "card", "word": _("Lire ma carte")},
               {"value": "typed", "icon": "person", "word": _("Je n'ai pas de carte")}]
    page = render_screen(
        "booking/card.html", step=1, total=TOTAL_STEPS, question=_("Mettez votre carte Vitale"),
        lines=[_("Mettez la carte dans la fente, la puce en premier."),
               _("Laissez-la pendant le rendez-vous.")],
        options=options, name="choice", action="/booking/card", error=error,
        back="/booking/identify", poll=reader_works() and not error)
    return page, status


@bp.get("/card")
@requires_visit
def card() -> tuple[str, int]:
    """Ask for the card. With JavaScript, the screen checks every second whether it is in."""
    if not reader_works():
        return _screen(_("Le lecteur de carte ne marche pas. Touchez « Je n'ai pas de carte »."))
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
    outcome = _read(automatic=True)
    if isinstance(outcome, Response) and outcome.status_code in (301, 302, 303):
        return Response(status=204, headers={"HX-Redirect": outcome.headers["Location"]})
    if isinstance(outcome, tuple):
        page, status = outcome
        return Response(page, status=status,
                        headers={"HX-Retarget": "#screen", "HX-Reswap": "innerHTML"})
    return outcome


def _read(automatic: bool) -> Any:
    devices = manager()
    if devices is None or not reader_works():
        return _screen(_("Le lecteur de carte ne marche pas. Touchez « Je n'ai pas de carte »."))
    if automatic and not devices.card_present():
        return Response(status=204)  # not in yet: the screen asks again in a moment
    # Someone who has just pushed the card in and tapped at once should not hear "no card":
    # the reader takes a moment to notice it.
    deadline = time.monotonic() + ARRIVAL_WAIT
    while not devices.card_present() and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        contents = devices.read_card(timeout=CARD_TIMEOUT)
    except PeripheralError as error:
        return _screen(_problem(error))
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
