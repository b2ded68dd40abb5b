"""One portal base, parameterised by role: sign-in, sign-out, idle sign-out, error pages.

The doctor and staff portals used to copy these and drifted apart (only staff sent the CSRF
header). The layout (templates/portal/layout.html) sends the CSRF header on every htmx request;
the pages here are the same for both, with the role's words and session key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.portal import signin as auth

# Sent when a sign-out ends the session (SECURITY.md item 4).
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def see_other(endpoint: str, **values: Any) -> Response:
    """A 303 to ``endpoint``: after a form, the browser GETs the next page."""
    return redirect(url_for(endpoint, **values), 303)


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Portal:
    """One portal: its blueprint's name, who may sign in, and its own words.

    ``account_key``: the session key of its signed-in account (each portal keeps its own).
    ``roles``: the account roles that may sign in here (None: the doctor portal's check in
    ``doctor_required``). ``signin_action``: what the journal calls a success. ``account``:
    the name of the signed-in account in ``g`` and in the templates. ``refusals``: the error
    pages' titles by HTTP code. ``passive``: true for a request the page makes by itself,
    which is not the person's activity.
    """

    name: str
    account_key: str
    signin_action: str
    account: str
    refusals: Mapping[int, Callable[[], str]]
    roles: tuple[str, ...] | None = None
    passive: Callable[[], bool] = field(default=_never)

    @property
    def layout(self) -> str:
        return f"{self.name}/layout.html"

    def endpoint(self, view: str) -> str:
        return f"{self.name}.{view}"


def install(bp: Blueprint, portal: Portal) -> None:
    """Add the portal's sign-in, sign-out, idle sign-out and error pages to ``bp``."""

    def sign_out_when_idle() -> Response | None:
        """Inactivity ends the session on the server, whatever the browser shows."""
        if portal.account_key not in session:
            return None
        now = utcnow()
        if auth.is_idle(now):
            auth.end()
            if request.headers.get("HX-Request") == "true":
                # A polled part of the page: send the whole page to the sign-in, not into a box.
                response = Response(status=204)
                response.headers["HX-Redirect"] = url_for(portal.endpoint("login"),
                                                          notice="idle")
            else:
                response = see_other(portal.endpoint("login"), notice="idle")
            response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
            return response
        if not portal.passive():
            auth.touch(now)
        return None

    def portal_error(error: HTTPException) -> tuple[str, int]:
        """A plain portal page for refusals, not the kiosk's patient screen."""
        code = error.code or 400
        title = portal.refusals.get(code)
        return render_template("portal/error.html", layout=portal.layout,
                               home=url_for(portal.endpoint("index")),
                               title=title() if title else _("Cette demande n'est pas valable."),
                               **{portal.account: g.get(portal.account)}), code

    def login() -> Response | str | tuple[str, int]:
        """The sign-in form; five failures in a row lock the account for fifteen minutes."""
        notices = {"idle": _("Vous avez été déconnecté après une période d'inactivité."),
                   "out": _("Vous êtes déconnecté.")}
        notice = notices.get(request.args.get("notice", ""), "")
        page = {"layout": portal.layout, "action": url_for(portal.endpoint("login"))}
        if request.method == "GET":
            return render_template("portal/login.html", notice=notice, error="", username="",
                                   **page)
        username = request.form.get("username", "").strip()[:100]
        password = request.form.get("password", "")[:200]
        now = utcnow()
        account_id = auth.authenticate(get_db(), username, password, now, roles=portal.roles,
                                       action=portal.signin_action) if username else None
        if account_id is None:
            error = _("Identifiant ou mot de passe incorrect. Après 5 essais manqués, "
                      "le compte est bloqué pendant 15 minutes.")
            return render_template("portal/login.html", notice="", error=error,
                                   username=username, **page), 401
        auth.start(account_id, now, key=portal.account_key)
        return see_other(portal.endpoint("index"))

    def logout() -> Response:
        """Sign out now: the server record goes, and the browser forgets the site's data."""
        auth.end()
        response = see_other(portal.endpoint("login"), notice="out")
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    bp.before_request(sign_out_when_idle)
    for code in (400, 403, 404):
        bp.register_error_handler(code, portal_error)
    bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
