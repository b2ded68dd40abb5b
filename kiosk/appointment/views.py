""""J'ai un rendez-vous": find it (card, QR code on the ticket, or code on a keypad), see it,
cancel it after a confirmation, or move it to another time.

The card in the slot proves the person. The code typed or the QR code scanned only shows the
ticket is in hand: the second proof comes next (``kiosk.appointment.second``), and nothing
says whether the code exists before it is given (SECURITY.md items 23 and 24).
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from kiosk.appointment import proof, proving
from kiosk.appointment.blueprint import STEPS, bp
from kiosk.booking.codes import ALPHABET, is_ticket_token, normalise_code
from kiosk.booking.service import LATE_ARRIVAL, LIVE_STATUSES, cancel
from kiosk.booking.words import bring_words, ticket_lines
from kiosk.consult.checkin import begin, can_start
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Slot, utcnow
from kiosk.core.site import site_name
from kiosk.devices.printing import print_booking_ticket
from kiosk.devices.service import manager
from kiosk.devices.service import state as device_state
from kiosk.security.vault import VaultError, get_vault
from kiosk.visit import card_reading
from kiosk.visit import state as visit_state
from kiosk.visit.screens import redirect_to, render_screen, requires_visit


def _found(code: str, *, by_card: bool = False) -> Response:
    """The card proved it: the appointment is the person's."""
    proving.proven(code, by_card=by_card)
    return redirect_to("appointment.view")


@bp.get("/")
@requires_visit
def start() -> str:
    """How to find the appointment: only the ways whose device works are offered."""
    options = []
    if card_reading.reader_works():
        options.append({"value": "card", "icon": "card", "word": _("Avec ma carte Vitale")})
    if device_state("scanner") == "ok":
        options.append({"value": "scan", "icon": "ticket", "word": _("Avec le QR code du ticket")})
    options.append({"value": "code", "icon": "other", "word": _("Avec le code du rendez-vous")})
    return render_screen("booking/choices.html", step=1, total=STEPS,
                         question=_("Comment trouver votre rendez-vous ?"), options=options,
                         name="how", action="/appointment/", back="/")


@bp.post("/")
@requires_visit
def start_chosen() -> Response:
    how = request.form.get("how")
    return redirect_to({"card": "appointment.card", "scan": "appointment.scan"}.get(
        how or "", "appointment.code"))


@bp.get("/code")
@requires_visit
def code(error: str = "") -> Any:
    if (stop := proving.closed()) is not None:
        return stop
    return proving.code_screen(error)


@bp.post("/code")
@requires_visit
def code_key() -> Any:
    if (stop := proving.closed()) is not None:
        return stop
    typed = str(visit_state.load().appointment.typed or "")
    key, action = request.form.get("key", ""), request.form.get("action")
    if key:
        if len(key) != 1 or key not in ALPHABET:
            return code(error=_("Cette touche n'existe pas ici."))
        if len(typed) >= 6:
            return code(error=_("C'est déjà assez long. Touchez Valider."))
        visit_state.update_appointment(typed=typed + key)
        return redirect_to("appointment.code")
    if action == "erase":
        visit_state.update_appointment(typed=typed[:-1])
        return redirect_to("appointment.code")
    clean = normalise_code(typed)
    if clean is None:  # the length alone: nothing about any appointment
        return code(error=_("Le code a 6 signes. Vérifiez le code."))
    return proving.ticket_in_hand(clean)


@bp.get("/scan")
@requires_visit
def scan(error: str = "") -> Any:
    if (stop := proving.closed()) is not None:
        return stop
    return render_screen("appointment/scan.html", step=1, total=STEPS,
                         question=_("Montrez le QR code de votre ticket"),
                         lines=[_("Mettez le ticket sous le lecteur, à plat.")],
                         error=error, back="/appointment/",
                         poll=device_state("scanner") == "ok")


@bp.post("/scan")
@requires_visit
def scanned() -> Any:
    """The screen's background check: has a code been scanned since?"""
    if (stop := proving.closed()) is not None:
        return card_reading.htmx_outcome(stop)
    devices = manager()
    if devices is None:
        return card_reading.htmx_outcome((scan(_("Le lecteur ne marche pas. Tapez le code.")),
                                          200))
    seen = devices.wait_for_code(0.0)
    if seen is None:
        return Response(status=204)
    # A ticket printed since carries a token; an older one its code, which works as typed.
    # Either way only the ticket is in hand: the second proof comes next.
    ticket = normalise_code(seen) or (f"token:{seen}" if is_ticket_token(seen) else None)
    if ticket is None:  # its shape alone: some other QR code, not one of our tickets
        return card_reading.htmx_outcome(
            (scan(_("Ce QR code n'est pas un ticket de rendez-vous.")), 200))
    outcome = proving.ticket_in_hand(ticket)  # a page when a helper's ticket is refused
    return card_reading.htmx_outcome((outcome, 200) if isinstance(outcome, str) else outcome)


@bp.get("/card")
@requires_visit
def card(error: str = "") -> str:
    return render_screen("appointment/card.html", step=1, total=STEPS,
                         question=_("Mettez votre carte Vitale"),
                         lines=[_("Mettez la carte dans la fente, la puce en premier.")],
                         options=[{"value": "read", "icon": "card", "word": _("Lire ma carte")}],
                         name="choice", action="/appointment/card", error=error,
                         back="/appointment/", poll=card_reading.reader_works() and not error)


@bp.post("/card")
@requires_visit
def card_read() -> Any:
    automatic = request.form.get("choice") == "auto"
    outcome = _card_read(automatic)
    return card_reading.htmx_outcome(outcome) if automatic else outcome


def _card_read(automatic: bool) -> Any:
    try:
        contents = card_reading.read_now(automatic)
    except card_reading.NotInYet:
        return Response(status=204)
    except card_reading.CardProblem as problem:
        return card(problem.message), 200
    nirs = {holder.nir for holder in contents.beneficiaries}
    found = upcoming_for(nirs)
    if not found:
        return card(_("Il n'y a pas de rendez-vous à venir pour cette carte.")), 200
    if len(found) == 1:
        return _found(found[0], by_card=True)
    visit_state.update_appointment(choices=found)
    return redirect_to("appointment.which")


def upcoming_for(nirs: set[str]) -> list[str]:
    """Codes of the live appointments of the people with these NIRs, soonest first.

    NIRs are stored encrypted with random nonces, so they cannot be searched; a kiosk has a few
    hundred upcoming appointments at most, and each is decrypted and compared.
    """
    vault = get_vault()
    now = utcnow()
    with get_db().read() as db:
        rows = db.scalars(select(Appointment).join(Slot).options(joinedload(Appointment.patient))
                          .where(Appointment.status.in_(LIVE_STATUSES),
                                 Slot.starts_at >= now - LATE_ARRIVAL)
                          .order_by(Slot.starts_at)).all()
        codes = []
        for row in rows:
            token = row.patient.nir_token
            try:
                if token and vault.decrypt(token) in nirs:
                    codes.append(row.code)
            except VaultError:
                continue
    return codes


@bp.get("/which")
@requires_visit
def which() -> Any:
    codes = visit_state.load().appointment.choices or []
    loaded = [a for a in (proof.load(c) for c in codes) if a is not None]
    options = [{"value": a.code, "icon": "calendar", "word": proof.when(a),
                "detail": f"{a.patient.first_name} {a.patient.surname}"} for a in loaded]
    return render_screen("booking/choices.html", step=1, total=STEPS,
                         question=_("Quel rendez-vous ?"), options=options, name="code",
                         action="/appointment/which", back="/appointment/")


@bp.post("/which")
@requires_visit
def which_chosen() -> Response:
    chosen = request.form.get("code", "")
    if chosen not in (visit_state.load().appointment.choices or []):
        abort(400)
    return _found(chosen, by_card=True)


@bp.get("/view")
@requires_visit
def view() -> Any:
    """The appointment, and what can be done with it."""
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    options = [{"value": "move", "icon": "clock", "word": _("Changer l'heure")},
               {"value": "cancel", "icon": "no", "word": _("Annuler le rendez-vous"),
                "kind": "danger"}]
    if can_start(appointment, utcnow()):  # it is time: the consultation comes first
        options.insert(0, {"value": "consult", "icon": "doctor",
                           "word": _("Commencer la consultation")})
    who = f"{appointment.patient.first_name} {appointment.patient.surname}"
    return render_screen("booking/choices.html", step=2, total=STEPS,
                         question=_("Votre rendez-vous"),
                         lines=[proof.when(appointment) + ".", _("Pour %(who)s.", who=who),
                                _("Code : %(code)s.", code=" ".join(appointment.code))],
                         options=options, name="do", action="/appointment/view",
                         back="/appointment/")


@bp.post("/view")
@requires_visit
def view_chosen() -> Response:
    if request.form.get("do") == "consult":
        appointment = proof.current()
        return begin(appointment) if appointment else redirect_to("appointment.start")
    return redirect_to("appointment.cancel_confirm" if request.form.get("do") == "cancel"
                       else "appointment.move_when")


@bp.get("/cancel")
@requires_visit
def cancel_confirm() -> Any:
    """Anything hard to undo is confirmed first."""
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    # "confirm": said by voice, it is read back first (kiosk.speech.answers).
    options = [{"value": "yes", "icon": "yes", "word": _("Oui, annuler"), "kind": "danger",
                "confirm": True},
               {"value": "no", "icon": "no", "word": _("Non, le garder")}]
    return render_screen("booking/choices.html", step=3, total=STEPS,
                         question=_("Voulez-vous vraiment annuler ce rendez-vous ?"),
                         lines=[proof.when(appointment) + "."], options=options, name="answer",
                         action="/appointment/cancel", back="/appointment/view")


@bp.post("/cancel")
@requires_visit
def cancel_answered() -> Any:
    appointment = proof.current()
    if appointment is None:
        return redirect_to("appointment.start")
    if request.form.get("answer") != "yes":
        return redirect_to("appointment.view")
    cancel(get_db(), appointment.code, proof.actor(), utcnow())
    visit_state.update_appointment(result="cancelled")
    return redirect_to("appointment.result")


@bp.get("/result")
@requires_visit
def result() -> Any:
    """After a change: what happened, in one sentence, and the new ticket if any."""
    outcome = visit_state.load().appointment.result
    if outcome == "cancelled":
        return render_screen("appointment/result.html", question=_("Votre rendez-vous est annulé."),
                             lines=[_("La place est libre pour une autre personne.")])
    appointment = proof.current()
    if outcome != "moved" or appointment is None:
        return redirect_to("appointment.start")
    printed = visit_state.load().appointment.printed
    with_card = bool(visit_state.load().appointment.by_card)
    if printed is None:  # print once, not on every visit of this screen
        printed = print_booking_ticket(code=appointment.code,
                                       token=appointment.ticket_token, site=site_name(),
                                       when_words=proof.when(appointment, printed=True),
                                       lines=ticket_lines(with_card))
        visit_state.update_appointment(printed=printed)
    return render_screen("appointment/result.html", question=_("C'est changé."),
                         lines=[proof.when(appointment) + ".",
                                bring_words(with_card, printed == "printed")],
                         code=appointment.code, token=appointment.ticket_token,
                         printed=printed)
