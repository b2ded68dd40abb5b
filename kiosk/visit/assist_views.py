"""Assisted mode at the kiosk: the question to the person, the banner, the staff's stop."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, request, session
from werkzeug.wrappers import Response

from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.security.sessions import current_visit, interface
from kiosk.visit import state as visit_state
from kiosk.visit.assist import answer, end_consent, end_for_visit, pending, still_accepted
from kiosk.visit.screen_names import is_screen
from kiosk.visit.screens import redirect_to, remembered_screen, render_screen
from kiosk.visit.screens import remember_screen as note_screen

bp = Blueprint("assist", __name__, url_prefix="/assist")


@bp.get("/poll")
def poll() -> Response:
    """Every screen asks every few seconds: is a staff member offering help?"""
    visit = current_visit()
    response = Response(status=204)
    if visit.token is None or not visit_state.load(visit).journey:
        return response
    helper = visit_state.load(visit).assist
    if isinstance(helper, dict):
        if not still_accepted(get_db(), int(helper.get("consent", 0))):
            visit_state.forget_helper(visit)  # the staff member stopped: the banner goes
            response.headers["HX-Refresh"] = "true"
        return response
    # The question's own screen polls too: sending it to itself again would reload it (and say
    # it again) every two seconds.
    on_question = urlsplit(request.headers.get("HX-Current-URL", "")).path == "/assist/question"
    if not on_question and pending(get_db(), visit.ref) is not None:
        response.headers["HX-Redirect"] = "/assist/question"
    return response


@bp.post("/stop")
def stop() -> Response:
    """'Arrêter l'aide': the person takes back their consent, at any time."""
    visit = current_visit()
    if visit.token is not None and visit_state.load(visit).assist:
        visit_state.forget_helper(visit)
        end_consent(get_db(), visit.ref, f"session:{visit.ref}", utcnow())
    return current_app.redirect(_back(), 303)


def _back() -> str:
    return remembered_screen()


@bp.get("/question")
def question() -> Any:
    """'Acceptez-vous que Sophie, pharmacienne, vous aide ?' Oui / Non."""
    visit = current_visit()
    consent = pending(get_db(), visit.ref) if visit.token else None
    if consent is None:
        return redirect_to("welcome.index") if not visit_state.load().journey else \
            current_app.redirect(_back(), 303)
    return render_screen("assist/question.html", consent=consent)


@bp.post("/answer")
def answered() -> Response:
    """Oui: the helper may act, and the banner shows. Non: nothing changes."""
    choice = request.form.get("answer", "")
    if choice not in ("yes", "no"):
        abort(400)
    try:
        consent_id = int(request.form.get("consent", ""))
    except ValueError:
        abort(400)
    visit = current_visit()
    if visit.token is None:
        return redirect_to("welcome.index")
    outcome = answer(get_db(), consent_id, visit.ref, choice == "yes", utcnow())
    if outcome is not None and choice == "yes":
        visit_state.update(assist={"consent": outcome.id, "name": outcome.helper_name,
                                   "title": outcome.helper_title, "account": outcome.account_id})
    return current_app.redirect(_back(), 303)


def _layout_context() -> dict[str, Any]:
    helper = visit_state.load().assist if session else None
    return {"assisted_by": helper.get("name") if isinstance(helper, dict) else None}


def remember_screen(response: Response) -> Response:
    """Note which screen the visit is on (screens.remember_screen), for the staff page and
    to come back after the question: only a patient screen shown whole (GET, 200), never an
    error page, a file or a fragment."""
    if request.method == "GET" and response.status_code == 200 and is_screen(request.endpoint):
        note_screen()
    return response


def init_app(app: Flask) -> None:
    """Register the kiosk side, the banner's context and the end-of-visit hook."""
    app.register_blueprint(bp)
    app.context_processor(_layout_context)
    app.after_request(remember_screen)
    interface(app).end_hooks.append(lambda ref: end_for_visit(get_db(app), ref, utcnow()))
