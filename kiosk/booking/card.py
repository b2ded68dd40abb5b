"""Step 1: what it costs and the Carte Vitale on one screen, then who is on the card.

The first booking screen says what the consultation costs (the main complaint about other
cabins) and asks for the card. With JavaScript it reads a card in the slot by itself, so
booking with a card takes no tap to read it (issue 13: 8 taps from the welcome screen to the
ticket). A read waits for the device at most CARD_TIMEOUT seconds; every failure gets a plain
sentence and two ways forward: try again, or type the name instead.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.booking import draft
from kiosk.booking.blueprint import TOTAL_STEPS, bp
from kiosk.booking.entries import sex_from_nir
from kiosk.booking.service import Identity
from kiosk.booking.words import cost_words
from kiosk.core.site import site_cost
from kiosk.security.vault import get_vault
from kiosk.visit import card_reading, pages
from kiosk.visit import state as visit_state
from kiosk.visit.screens import redirect_to, render_screen, requires_visit


def _screen(error: str = "", status: int = 200) -> tuple[str, int]:
    works = card_reading.reader_works()
    failed = bool(error)  # a read that failed, rather than a reader that is down
    if not works and not error:
        error = card_reading.reader_down_sentence()
    options = [{"value": "typed", "icon": "person", "word": _("Je n'ai pas de carte")}]
    if works:
        options.insert(0, {"value": "read", "icon": "card", "word": _("Lire ma carte")})
    part, shown_error, lines = _sentences(error, failed, works)
    # A card already read (Retour, or "Non, ce n'est pas moi") is not read again by itself:
    # the person would be sent straight back to where they came from.
    poll = works and not error and not draft.draft().card
    page = render_screen(
        "booking/card.html", step=1, total=TOTAL_STEPS,
        question=_("Une consultation avec un médecin"),
        lines=lines, options=options, name="choice", action="/booking/card",
        error=shown_error, part=part, back=part.previous or "/", poll=poll)
    return page, status


def _sentences(error: str, failed: bool, works: bool) -> tuple[pages.Page, str, list[str]]:
    """The page of the screen's sentences shown, its error and its lines.

    With normal text all of them show. With larger text they do not fit with the choices
    (ACCESSIBILITY.md item 27): one group per page, each page with both choices: the error,
    what the visit is and costs, then how to put the card in. After a read that failed, its
    sentence alone, which says what to do: the person has read the rest already."""
    groups: list[tuple[str, list[str]]] = [(error, [])] if error else []
    if not (failed and pages.text_size() == 2):
        groups.append(("", [_("Le médecin vous parle par vidéo, ici."), cost_words(site_cost())]))
        if works:
            groups.append(("", [_("Mettez votre carte Vitale dans la fente, la puce en premier."),
                                _("Laissez-la pendant le rendez-vous.")]))
    part = pages.parts_page(len(groups))
    shown = [groups[number - 1] for number in part.items]
    shown_error = "".join(said for said, _lines in shown)
    return part, shown_error, [line for _said, lines in shown for line in lines]


@bp.get("/")
@requires_visit
def start() -> tuple[str, int]:
    """The cost, and the card. With JavaScript, the screen checks every 1.5 s whether the
    card is in, and reads it without a tap."""
    visit_state.update(journey="booking")
    return _screen()


@bp.get("/card")
@requires_visit
def card() -> Response:
    """The card is asked for on the first screen (an older link lands there)."""
    return redirect_to("booking.start")


@bp.post("/card")
@requires_visit
def card_read() -> Any:
    """Read the card now ("Lire ma carte", or the screen's own check once a card is in)."""
    if request.form.get("choice") == "typed":
        draft.typed_from_card(False)
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
    state.card = [
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
    """Several people on one card (children): who is consulting? Touching one's own name
    and birth date is the answer to "Vous êtes bien … ?" too."""
    holders = draft.draft().card or []
    if not holders:
        return redirect_to("booking.start")
    vault = get_vault()
    # Each person's sex, from their NIR, lets "monsieur Dupont" said aloud pick the one man.
    options = [{"value": str(i), "icon": "person", "word": f"{h['first_name']} {h['surname']}",
                "detail": _born(h["birth_date"]),
                "sex": (sex_from_nir(vault.decrypt(h["nir"])) or "").lower()}
               for i, h in enumerate(holders)]
    return render_screen("booking/choices.html", step=1, total=TOTAL_STEPS,
                         question=_("Qui vient voir le médecin ?"), options=options, name="who",
                         action="/booking/card/who", back="/booking/")


def _born(iso: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(iso), "d MMMM y") if iso else ""


@bp.post("/card/who")
@requires_visit
def card_who_chosen() -> Any:
    value = request.form.get("who", "")
    holders = draft.draft().card or []
    if not (value.isascii() and value.isdigit() and int(value) < len(holders)):
        return redirect_to("booking.card_who")
    return _choose(int(value), picked=True)


def _choose(index: int, picked: bool = False) -> Response:
    """Take the card's ``index``-th person. ``picked``: the person chose their own name and
    birth date in the list, which says "c'est moi" already: no second question."""
    from datetime import date

    holder = (draft.draft().card or [])[index]
    nir = get_vault().decrypt(holder["nir"])
    if holder["birth_date"] is None:
        # The card has no calendar date (day or month 00): ask for it, names already filled.
        draft.set_typed("surname", holder["surname"])
        draft.set_typed("first_name", holder["first_name"])
        draft.set_typed("nir", nir)
        draft.typed_from_card(True)
        return redirect_to("booking.typed", field="day")
    draft.set_identity(Identity(
        surname=holder["surname"].upper(), first_name=holder["first_name"].title(),
        birth_date=date.fromisoformat(holder["birth_date"]), nir=nir, sex=sex_from_nir(nir),
        source="card"))
    if picked:
        draft.confirm_identity()
        return redirect_to("booking.reason")
    return redirect_to("booking.is_it_you")
