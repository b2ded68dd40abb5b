"""Errors a person may meet: a plain page in their language, details only in the server log."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from kiosk.visit.screens import redirect_to, render_screen


def _page(title: str, message: str) -> str:
    """The error screen: a plain sentence, what to do, and the way back to the welcome."""
    return render_screen("errors/error.html", title=title, message=message, back="/")


def too_many_tries(sentence: str) -> str:
    """The screen of a visit that tried too often (kiosk.security.limits): what happened, and
    whom to call."""
    return _page(sentence, _("Appuyez sur Aide pour appeler le pharmacien."))


def _csrf_failed(error: CSRFError) -> Response | tuple[str, int]:
    # A token that no longer matches means the visit was wiped (timeout, Terminer, another tab).
    # A person gets the welcome screen with a plain sentence; a script gets a bare 400.
    current_app.logger.info("csrf refused on %s: %s", request.path, error.description)
    if (
        request.method == "POST" and request.headers.get("Sec-Fetch-Mode") == "navigate"
    ) or request.headers.get("HX-Request") == "true":
        return redirect_to("welcome.index", notice="expired")
    return _page(_("Cette page n'est plus valable."),
                 _("Revenez à l'accueil pour recommencer.")), 400


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if request_ctx.url_adapter is None:
        # The Host header was refused before routing: no page can be built for this request.
        return "Bad request\n", code
    if code == 404:
        title = _("Cette page n'existe pas.")
    elif code == 405:
        title = _("Cette action n'est pas possible ici.")
    elif code == 413:
        title = _("Ce que vous avez envoyé est trop gros.")
    else:
        title = _("Cette demande n'est pas valable.")
    return _page(title, _("Revenez à l'accueil pour recommencer.")), code


def _server_error(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unhandled error on %s", request.path, exc_info=error)
    return _page(_("Un problème est arrivé."),
                 _("Appuyez sur Aide pour appeler le pharmacien.")), 500


def init_app(app: Flask) -> None:
    """Register the plain-language error pages."""
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(Exception, _server_error)
