"""The patient's side of the consultation, screen by screen.

Start (from "J'ai un rendez-vous") -> blood pressure offered -> consent before the camera ->
device check -> waiting room -> call -> end screen. The visit holds ``consult``: the
appointment's id, proven by its code or the card, and what was agreed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, abort, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.appointment import proof
from kiosk.booking.words import doctor_words, time_words
from kiosk.consult import signals
from kiosk.consult.blueprint import bp
from kiosk.consult.call_settings import call_config
from kiosk.consult.checkin import (
    LIVE,
    consult_state,
    full_page,
    save_state,
    set_status,
)
from kiosk.core.db import get_db
from kiosk.core.records import Appointment, AuditEvent, utcnow
from kiosk.devices.service import state as device_state
from kiosk.doctor.summary import print_written, written
from kiosk.security.sessions import current_visit
from kiosk.security.vault import get_vault
from kiosk.visit import state as visit_state
from kiosk.visit.assist import visit_actor
from kiosk.visit.letter_pages import Block, letter_page
from kiosk.visit.pages import PAGER
from kiosk.visit.screens import redirect_to, render_screen, requires_visit
from kiosk.vitals import measurements
from kiosk.vitals import measuring as cuff
from kiosk.vitals.classify import assess
from kiosk.vitals.keep import keep

# The waiting room and the call wait on purpose: the idle warning keeps away this long.
CALL_BUSY = timedelta(hours=1)
# The end screen waits for the doctor's written summary as long as the visit lasts (doctors
# often write after hanging up); its poll is not activity, so the idle warning still comes.
# For END_QUIET after the call the warning keeps away; after SUMMARY_WAIT the screen says
# nothing was written yet (and still shows the note if it comes).
END_QUIET = timedelta(minutes=2)
SUMMARY_WAIT = timedelta(minutes=10)


def _current() -> Appointment | None:
    """The visit's checked-in appointment, if it may still be consulted: the one the person
    proved (SECURITY.md item 23)."""
    appointment_id = consult_state().id
    if appointment_id is None:
        return None
    appointment = proof.current()
    return appointment if appointment is not None and appointment.id == appointment_id \
        and appointment.status in LIVE else None


def _proven_id() -> int | None:
    """The checked-in appointment's id, if the person proved it (whatever its status now:
    the end screen shows the doctor's note after the consultation is over)."""
    appointment_id = consult_state().id
    if appointment_id is None or proof.proven_id() != appointment_id:
        return None
    return appointment_id


def _consulting(view: Any) -> Any:
    """Screens of a consultation need a checked-in appointment; else back to finding it."""
    from functools import wraps

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        appointment = _current()
        if appointment is None:
            return redirect_to("appointment.start")
        return view(appointment, *args, **kwargs)

    return wrapper


def _busy() -> None:
    """Keep the idle wipe away during the wait and the call. Rewritten at most every few
    minutes: the call polls every second, and each change of the visit is a disk write."""
    now = utcnow()
    current = visit_state.load().busy_until
    try:
        until = datetime.fromisoformat(current) if isinstance(current, str) else None
    except ValueError:
        until = None
    if until is None or until < now + CALL_BUSY - timedelta(minutes=5):
        visit_state.update(busy_until=(now + CALL_BUSY).isoformat())


@bp.get("/tension")
@requires_visit
@_consulting
def vitals_offer(appointment: Appointment) -> str:
    options = [{"value": "yes", "icon": "heart", "word": _("Oui, mesurer ma tension")},
               {"value": "no", "icon": "skip", "word": _("Non, continuer")}]
    return render_screen("consult/choices.html",
                         question=_("Voulez-vous mesurer votre tension pour le médecin ?"),
                         lines=[_("Le médecin verra le résultat pendant la consultation."),
                                _("Cela prend environ 5 minutes.")],
                         options=options, name="answer", action="/consult/tension",
                         back="/appointment/view")


@bp.post("/tension")
@requires_visit
@_consulting
def vitals_answered(appointment: Appointment) -> Response:
    if request.form.get("answer") == "yes":
        state = consult_state()
        state.vitals = True
        save_state(state)
        visit_state.update_appointment(code=appointment.code)  # the result attaches to it
        return redirect_to("vitals.start")
    return redirect_to("consult.consent")


@bp.get("/accord")
@requires_visit
@_consulting
def consent(appointment: Appointment) -> str:
    """Before the camera turns on: what happens, in words, spoken; then Oui or Non."""
    options = [{"value": "yes", "icon": "yes", "word": _("Oui, je suis d'accord")},
               {"value": "no", "icon": "no", "word": _("Non")}]
    return render_screen("consult/choices.html",
                         question=_("Le médecin va vous voir et vous entendre."),
                         lines=[_("Pendant l'appel, la caméra et le micro de la borne sont "
                                  "allumés."),
                                _("Rien n'est enregistré. Seul le médecin vous voit."),
                                _("Êtes-vous d'accord ?")],
                         options=options, name="answer", action="/consult/accord",
                         back="/consult/tension" if device_state("bp") == "ok" else None)


@bp.post("/accord")
@requires_visit
@_consulting
def consent_answered(appointment: Appointment) -> Response:
    state = consult_state()
    state.consent = request.form.get("answer") == "yes"
    save_state(state)
    if not state.consent:
        return redirect_to("consult.declined")
    with get_db().write() as db:
        db.add(AuditEvent(at=utcnow(), actor=visit_actor(current_visit()),  # the person, or helper
                          action="consult.consented",
                          subject_ref=f"appointment:{appointment.id}"))
    return full_page("consult.check")


@bp.get("/sans-camera")
@requires_visit
@_consulting
def declined(appointment: Appointment) -> str:
    """Non: nothing turns on; say what happens now and offer a way forward."""
    return render_screen("consult/choices.html",
                         question=_("D'accord. La caméra reste éteinte."),
                         lines=[_("Sans caméra, la consultation ne peut pas avoir lieu ici."),
                                _("Vous pouvez changer d'avis, ou appeler le pharmacien avec "
                                  "le bouton Aide."),
                                _("Votre rendez-vous reste noté.")],
                         options=[{"value": "again", "icon": "replay",
                                   "word": _("J'ai changé d'avis")}],
                         name="answer", action="/consult/sans-camera", back=None)


@bp.post("/sans-camera")
@requires_visit
@_consulting
def declined_again(appointment: Appointment) -> Response:
    return redirect_to("consult.consent")


def _consented(view: Any) -> Any:
    from functools import wraps

    @wraps(view)
    def wrapper(appointment: Appointment, *args: Any, **kwargs: Any) -> Any:
        if not consult_state().consent:
            return redirect_to("consult.consent")
        return view(appointment, *args, **kwargs)

    return wrapper


@bp.get("/essai")
@requires_visit
@_consulting
@_consented
def check(appointment: Appointment) -> str:
    """Camera preview, microphone level and a test sound, before joining."""
    return _check_screen()


def _check_screen(error: str = "") -> str:
    """The device check's screen; ``error`` says what to do when the sound was not heard."""
    return render_screen("consult/check.html", question=_("Vérifions la caméra et le son."),
                         error=error, back="/consult/accord")


@bp.post("/essai")
@requires_visit
@_consulting
@_consented
def check_answered(appointment: Appointment) -> Any:
    if request.form.get("answer") == "yes":
        return redirect_to("consult.waiting")
    return _check_screen(error=_("Touchez « Plus fort » en haut de l'écran, puis "
                                 "« Écouter le son » encore. Si vous n'entendez "
                                 "toujours rien, appuyez sur Aide."))


def _wait_words(appointment: Appointment, now: datetime) -> str:
    starts = appointment.slot.starts_at
    minutes = int((starts - now).total_seconds() // 60)
    if minutes >= 2:
        return _("Le médecin vous appelle dans environ %(n)s minutes, à %(time)s.",
                 n=minutes, time=time_words(starts))
    return _("Le médecin vous appelle dans quelques minutes.")


@bp.get("/attente")
@requires_visit
@_consulting
@_consented
def waiting(appointment: Appointment) -> Any:
    """The waiting room: who, how long, Aide; it moves on by itself when the doctor calls."""
    set_status(appointment.id, "arrived", ("booked", "checked-in"))
    _busy()
    if signals.ringing(get_db(), appointment.id) is not None:
        return full_page("consult.call")
    return render_screen("consult/waiting.html",
                         question=_("Salle d'attente"),
                         doctor=doctor_words(appointment.slot.practitioner),
                         wait=_wait_words(appointment, utcnow()), back=None)


@bp.post("/attente")
@requires_visit
def waiting_poll() -> Response:
    """Every two seconds: has the doctor called? (A background check, not activity.)"""
    appointment = _current()
    if appointment is None:
        return Response(status=204, headers={"HX-Redirect": "/consult/fin"})
    if signals.ringing(get_db(), appointment.id) is not None:
        return Response(status=204, headers={"HX-Redirect": "/consult/appel"})
    return Response(status=204)


@bp.get("/appel")
@requires_visit
@_consulting
@_consented
def call(appointment: Appointment) -> Any:
    """The call: the doctor large, oneself small, the chat in large type beside them."""
    ring = signals.ringing(get_db(), appointment.id)
    if ring is None:
        return redirect_to("consult.waiting")
    _busy()
    return render_screen("consult/call.html", question=_("Consultation avec %(doctor)s",
                                                         doctor=doctor_words(
                                                             appointment.slot.practitioner)),
                         config=_config(appointment.id), since=ring,
                         replies=[("yes", _("Oui")), ("no", _("Non")),
                                  ("volume-up", _("Je n'entends pas bien.")),
                                  ("replay", _("Pouvez-vous répéter ?")),
                                  ("info", _("Je ne vois pas l'image."))],
                         back=None)


def _config(appointment_id: int) -> dict[str, Any]:

    return call_config(appointment_id)


@bp.route("/signal", methods=["GET", "POST"])
@requires_visit
def signal() -> Any:
    """The kiosk's side of the signalling: post a message, or read those after ``since``.

    Only the visit's own checked-in appointment, whose proof (code or card) came first.
    """
    progress = consult_state()
    appointment_id = _proven_id()
    if appointment_id is None or not progress.consent:
        abort(403)
    if request.method == "GET":
        since = request.args.get("since", "0")
        if not since.isdigit():
            abort(400)
        _busy()
        messages = signals.after(get_db(), appointment_id, int(since), get_vault())
        # Marked done or no-show: the call is over, goodbye or not.
        return {"messages": [m.as_json() for m in messages],
                "ended": not signals.is_callable(get_db(), appointment_id)}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    kind = str(body.get("kind", ""))
    # "ready" carries the visit, so a visit that ends mid-call hangs up (visit_ended).
    payload = {"visit": current_visit().ref} if kind == "ready" else body.get("payload")
    try:
        new_id = signals.send(get_db(), appointment_id, "kiosk", kind, payload, utcnow(),
                              get_vault())
    except signals.BadMessage:
        abort(400)
    except signals.NotCallable:
        abort(409)
    return {"id": new_id}


@bp.get("/fin")
@requires_visit
def end() -> Any:
    """The call is over: what the doctor wrote, large, and printed once; or why not."""
    state = consult_state()
    appointment_id = _proven_id()
    if appointment_id is None:
        return redirect_to("appointment.start")
    now = utcnow()
    if state.end_at is None:
        state.end_at = now.isoformat()
        save_state(state)
        # The call's long quiet ends here: from now on the visit's own idle limit applies.
        visit_state.update(busy_until=(now + END_QUIET).isoformat())
    note = written(get_db(), get_vault(), appointment_id)
    if note is None:
        ended_at = datetime.fromisoformat(state.end_at)
        quiet = max(0, int((ended_at + END_QUIET - now).total_seconds()))
        return render_screen("consult/end.html", question=_("La consultation est finie."),
                             note=None, late=now - ended_at > SUMMARY_WAIT,
                             busy_seconds=quiet, back=None)
    if state.printed is None:  # print once, not on every visit of this screen
        state.printed = print_written(note).printed
        save_state(state)
    page = letter_page(_letter(note, state.printed), reserved=PAGER + 0.3)
    return render_screen("consult/end.html", question=_("La consultation est finie."),
                         note=note, letter=page, waiting=False, back=page.previous)


def _letter(note: Any, printed: bool) -> list[Block]:
    """What the doctor wrote, as the end screen shows it: on pages when it is long."""
    blocks = [Block("lead", _("Le docteur %(name)s a écrit pour vous.", name=note.doctor))]
    if note.summary:
        blocks += [Block("heading", _("Ce que dit le médecin")), Block("text", note.summary)]
    if note.prescription:
        blocks += [Block("heading", _("Ordonnance")), Block("text", note.prescription)]
    blocks.append(Block("lead", _("Référence : %(ref)s", ref=note.reference)))
    if printed:
        blocks.append(Block("notice", _("Prenez votre ticket : tout est écrit dessus.")))
    else:
        blocks.append(Block("error", _("L'imprimante ne marche pas. Notez ce message, ou appuyez "
                                       "sur Aide : le pharmacien peut l'imprimer pour vous.")))
    return blocks


@bp.post("/fin")
@requires_visit
def end_poll() -> Any:
    """Every three seconds on the end screen, until the visit ends: has the doctor written?

    A background check (security.sessions.PASSIVE_ENDPOINTS): it changes nothing in the visit and
    does not keep it alive. Past SUMMARY_WAIT it swaps the words once (``late`` in the query
    says they were swapped already), and keeps checking.
    """
    state = consult_state()
    appointment_id = _proven_id()
    if appointment_id is None or state.end_at is None:
        return Response(status=204, headers={"HX-Redirect": "/consult/fin"})
    if written(get_db(), get_vault(), appointment_id) is not None:
        return Response(status=204, headers={"HX-Redirect": "/consult/fin"})
    late = utcnow() - datetime.fromisoformat(state.end_at) > SUMMARY_WAIT
    if late and request.args.get("late") != "1":
        return render_template("consult/_end_wait.html", late=True, busy_seconds=0)
    return Response(status=204)


# --- Blood pressure during the call, in the side panel: the doctor sees it arrive. ---

def _bp_panel(**context: Any) -> str:
    return render_template("consult/_bp.html", **context)


@bp.post("/tension/mesure")
@requires_visit
@_consulting
def bp_start(appointment: Appointment) -> Any:
    """Mesurer ma tension: one reading now, attached to the appointment, shown live."""
    fault = cuff.start(_app(), current_visit().ref,
                       float(current_app.config["KIOSK"]["bp_deadline_seconds"]))
    if fault is not None:
        return _bp_panel(problem=_("L'appareil de tension ne marche pas en ce moment."))
    return _bp_panel(running=True, pressure=cuff.IDLE.pressure, deflating=cuff.IDLE.deflating)


@bp.post("/tension/live")
@requires_visit
@_consulting
def bp_live(appointment: Appointment) -> Any:
    outcome = cuff.poll(_app(), current_visit().ref)
    if outcome is None or isinstance(outcome, cuff.Cancelled):
        return _bp_panel()
    if isinstance(outcome, cuff.Progress):
        return _bp_panel(running=True, pressure=outcome.pressure, deflating=outcome.deflating)
    if isinstance(outcome, cuff.Fault):
        return _bp_panel(problem=_("La mesure n'a pas marché. Vous pouvez réessayer."))
    if isinstance(outcome, cuff.OutOfRange):
        return _bp_panel(problem=_("La mesure n'a pas marché. On recommence ?"))
    reading = outcome.reading
    result = measurements.Result(reading.systolic, reading.diastolic, reading.pulse,
                                 ((reading.systolic, reading.diastolic, reading.pulse),),
                                 irregular=reading.irregular_pulse)
    # As on the vitals screens: journaled, and the pharmacist called at 180/110 or more.
    keep(current_visit(), result, appointment.id, "/consult/appel")
    return _bp_panel(result=result, alert=assess(result.systolic, result.diastolic).alert)


@bp.post("/tension/stop")
@requires_visit
def bp_stop() -> Any:
    cuff.cancel(_app(), current_visit().ref)
    return _bp_panel()


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app
