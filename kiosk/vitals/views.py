"""The blood-pressure screens: guidance, rest, measurement, result, problems."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.devices.service import state as device_state
from kiosk.security.sessions import current_visit
from kiosk.visit import state as visit_state
from kiosk.visit.screens import redirect_to, render_screen, requires_visit
from kiosk.visit.state import VitalsProgress
from kiosk.vitals import measurements
from kiosk.vitals import measuring as cuff
from kiosk.vitals.blueprint import TOTAL_STEPS, bp
from kiosk.vitals.classify import average
from kiosk.vitals.keep import keep

GUIDANCE = {
    1: ("sit", lambda: _("Asseyez-vous bien au fond du siège."),
        lambda: _("Le dos contre le dossier. Les pieds à plat sur le sol.")),
    2: ("arm", lambda: _("Posez votre bras sur la table."),
        lambda: _("Le bras est détendu, la paume vers le haut.")),
    3: ("cuff", lambda: _("Mettez le brassard sur votre bras."),
        lambda: _("Sur la peau nue, à la hauteur du cœur. Pas trop serré.")),
}


def _state() -> VitalsProgress:
    return visit_state.vitals_progress()


def _save(state: VitalsProgress) -> None:
    visit_state.update(vitals=state)


def busy_for(seconds: int) -> None:
    """This screen waits on purpose (rest, measurement): the idle clock starts after it."""
    visit_state.update(busy_until=(utcnow() + timedelta(seconds=seconds)).isoformat())


def waited(name: str, seconds: int, *, restart: bool = False) -> int:
    """Seconds left of the wait ``name`` (a rest, the minute between readings): showing the
    screen again (text size, language) carries on with the same countdown; it does not start
    over unless ``restart``."""
    now = utcnow()
    wait = visit_state.load().wait
    if not restart and isinstance(wait, dict) and wait.get("name") == name:
        left = (datetime.fromisoformat(str(wait["until"])) - now).total_seconds()
        return max(0, min(seconds, math.ceil(left)))
    visit_state.update(wait={"name": name, "until": (now + timedelta(seconds=seconds)).isoformat()})
    return seconds


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def _settings() -> dict[str, Any]:
    return current_app.config["KIOSK"]  # type: ignore[no-any-return]


@bp.get("/")
@requires_visit
def start() -> str:
    """What will happen, how long it takes; only offered when the cuff answers."""
    visit_state.update(journey=visit_state.load().journey or "vitals")
    _save(VitalsProgress(failures=_state().failures))
    minutes = max(1, round(_settings()["bp_rest_seconds"] / 60))
    lines = [_("Cela prend environ %(n)s minutes.", n=minutes + 2),
             _("Vous vous reposez, puis le brassard serre votre bras %(n)s fois.",
               n=_settings()["bp_readings"])]
    if device_state("bp") != "ok":
        return render_screen("booking/choices.html", question=_("Mesurer votre tension"),
                             lines=[_("L'appareil de tension ne marche pas en ce moment."),
                                    _("Appuyez sur Aide pour appeler le pharmacien.")],
                             options=[], name="go", action="/vitals/", back="/")
    return render_screen("booking/choices.html", question=_("Mesurer votre tension"),
                         lines=lines, name="go", action="/vitals/step/1", back="/",
                         options=[{"value": "go", "icon": "heart", "word": _("Commencer")}])


@bp.get("/step/<int:number>")
@requires_visit
def step(number: int) -> str:
    """One instruction per screen: a picture, a short sentence, no time limit."""
    if number not in GUIDANCE:
        abort(404)
    picture, sentence, detail = GUIDANCE[number]
    action = f"/vitals/step/{number + 1}" if number < 3 else "/vitals/rest"
    back = "/vitals/" if number == 1 else f"/vitals/step/{number - 1}"
    return render_screen("vitals/step.html", step=number, total=TOTAL_STEPS, question=sentence(),
                         picture=picture, detail=detail(), action=action, back=back)


@bp.post("/step/<int:number>")
@requires_visit
def step_done(number: int) -> Response:
    if number == 4:
        return redirect_to("vitals.rest")
    if number not in GUIDANCE:
        abort(404)
    return redirect_to("vitals.step", number=number)


@bp.route("/rest", methods=["GET", "POST"])
@requires_visit
def rest() -> Any:
    """A calm countdown; the person may say they are ready sooner. Step 3 (or Réessayer)
    posts here to start the rest; a GET shows it again with the time left."""
    if request.method == "POST":
        waited("rest", int(_settings()["bp_rest_seconds"]), restart=True)
        return redirect_to("vitals.rest")
    seconds = waited("rest", int(_settings()["bp_rest_seconds"]))
    busy_for(seconds + int(_settings()["bp_deadline_seconds"]))
    return render_screen("vitals/wait.html", step=4, total=TOTAL_STEPS,
                         question=_("Reposez-vous un moment."),
                         lines=[_("Respirez calmement. Ne parlez pas.")], seconds=seconds,
                         ready=_("Commencer la mesure"), back="/vitals/step/3")


@bp.post("/measure")
@requires_visit
def measure_start() -> Any:
    """Start the next reading."""
    fault = cuff.start(_app(), current_visit().ref, float(_settings()["bp_deadline_seconds"]))
    if fault is not None:
        return _problem_redirect(fault.problem.key)
    return redirect_to("vitals.measuring")


@bp.get("/measure")
@requires_visit
def measuring() -> Any:
    """The live cuff pressure, large, with "Ne bougez pas, ne parlez pas" and Arrêter."""
    if not cuff.running(_app(), current_visit().ref):
        return redirect_to("vitals.start")
    number = len(_state().readings) + 1
    busy_for(int(_settings()["bp_deadline_seconds"]))
    now = cuff.progress(_app(), current_visit().ref)
    return render_screen("vitals/measure.html", step=5, total=TOTAL_STEPS,
                         question=_("Ne bougez pas, ne parlez pas."),
                         lines=[_("Mesure %(n)s sur %(total)s.", n=number,
                                  total=_settings()["bp_readings"])],
                         pressure=now.pressure, deflating=now.deflating, back=None)


@bp.post("/live")
@requires_visit
def live() -> Any:
    """Twice a second: the pressure now, or where to go once the reading is over."""
    outcome = cuff.poll(_app(), current_visit().ref)
    if outcome is None:
        return Response(status=204, headers={"HX-Redirect": "/vitals/"})
    if isinstance(outcome, cuff.Progress):
        return render_template("vitals/_live.html", pressure=outcome.pressure,
                               deflating=outcome.deflating)
    if isinstance(outcome, cuff.Cancelled):
        return Response(status=204, headers={"HX-Redirect": "/vitals/stopped"})
    if isinstance(outcome, (cuff.Fault, cuff.OutOfRange)):
        key = outcome.problem.key if isinstance(outcome, cuff.Fault) else "out_of_range"
        state = _state()
        state.failures += 1
        _save(state)
        return Response(status=204, headers={"HX-Redirect": f"/vitals/problem?what={key}"})
    reading = outcome.reading
    state = _state()
    state.readings = [*state.readings, [reading.systolic, reading.diastolic, reading.pulse]]
    # What the cuff noticed, kept across the readings of this result.
    state.irregular = bool(state.irregular) or reading.irregular_pulse
    state.moved = bool(state.moved) or reading.movement
    _save(state)
    if len(state.readings) < _settings()["bp_readings"]:
        return Response(status=204, headers={"HX-Redirect": "/vitals/between"})
    return Response(status=204, headers={"HX-Redirect": _keep_result(state)})


def _keep_result(state: VitalsProgress) -> str:
    readings = [(s, d, p) for s, d, p in state.readings]
    systolic, diastolic, pulse = average(readings)
    result = measurements.Result(systolic, diastolic, pulse, tuple(readings),
                                 irregular=bool(state.irregular))
    visit = visit_state.load()
    codes = [c for c in (visit.booking and visit.booking.code, visit.appointment.code) if c]
    tz = ZoneInfo(_settings()["timezone"])
    appointment_id = (measurements.todays_appointment(get_db(), codes, utcnow(), tz)
                      if codes else None)
    state.result_id = keep(current_visit(), result, appointment_id, "/vitals/result")
    state.result = [systolic, diastolic, pulse]
    state.taken_at = utcnow().isoformat()  # printed with the result
    state.shared = appointment_id is not None
    state.readings = []
    state.noticed = {"irregular": bool(state.irregular), "moved": bool(state.moved)}
    state.irregular = state.moved = None
    _save(state)
    return "/vitals/result"


@bp.post("/stop")
@requires_visit
def stop() -> Response:
    """Arrêter: the cuff deflates at once."""
    cuff.cancel(_app(), current_visit().ref)
    return redirect_to("vitals.stopped")


@bp.get("/stopped")
@requires_visit
def stopped() -> str:
    return render_screen("booking/choices.html", question=_("La mesure est arrêtée."),
                         lines=[_("Le brassard se dégonfle. Vous pouvez l'enlever.")],
                         options=[{"value": "again", "icon": "replay", "word": _("Recommencer")}],
                         name="go", action="/vitals/step/3", back="/vitals/")


@bp.get("/between")
@requires_visit
def between() -> str:
    """A minute between two readings, so the second one is not disturbed by the first."""
    seconds = waited(f"between:{len(_state().readings)}",
                     int(_settings()["bp_interval_seconds"]))
    busy_for(seconds + int(_settings()["bp_deadline_seconds"]))
    return render_screen("vitals/wait.html", step=5, total=TOTAL_STEPS,
                         question=_("Première mesure faite."),
                         lines=[_("Ne vous levez pas. Restez calme. Gardez le brassard.")],
                         seconds=seconds,
                         ready=_("Mesurer maintenant"), back=None)


def _problem_redirect(key: str) -> Response:
    state = _state()
    state.failures += 1
    _save(state)
    return redirect_to("vitals.problem", what=key)
