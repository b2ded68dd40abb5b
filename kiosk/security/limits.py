"""Rate limits on sign-in and booking (SECURITY.md item 11), with flask-limiter.

Every request of a kiosk comes from 127.0.0.1, so limits are keyed by what the request is for:
the account a sign-in tries (doctor and staff portals; only failures count), or the kiosk
visit (booking). The counters live in ``rate_limit_storage``: ``memory://`` is enough for a
unit's single worker; a server with several workers shares them in Redis
(``redis://127.0.0.1:6379``).

One Limiter per app (not a module global), so two apps in one process never share counters
by accident; limits are attached to the views after the blueprints are registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import Flask, Response, current_app, render_template, request, url_for
from flask.typing import RouteCallable
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

from kiosk.security.sessions import hash_token

SIGN_IN_LIMIT = "10 per 15 minutes"
BOOKING_LIMIT = "10 per 10 minutes"
# The .ics answers only to a ticket's token (SECURITY.md item 24); guessing tokens is limited
# all the same, per visit or per address.
ICS_LIMIT = "20 per 10 minutes"


def account_key() -> str:
    """A sign-in attempt counts against the account it names, whoever sends it."""
    username = request.form.get("username", "").strip().lower()[:100]
    return f"account:{username}"


def visit_key() -> str:
    """A booking counts against the kiosk visit (its cookie, hashed like the session's key)."""
    token = request.cookies.get(current_app.session_interface.cookie_name(current_app), "")  # type: ignore[attr-defined]
    return f"visit:{hash_token(token)[:16]}" if token else f"address:{request.remote_addr}"


def failed(response: Response) -> bool:
    """A sign-in counts against the limit only when it fails (a success redirects)."""
    return response.status_code != 303


def every(_response: Response) -> bool:
    return True


LIMITED_VIEWS: dict[str, tuple[str, Callable[[], str], Callable[[Response], bool]]] = {
    "doctor.login": (SIGN_IN_LIMIT, account_key, failed),
    "staff.login": (SIGN_IN_LIMIT, account_key, failed),
    "booking.confirm": (BOOKING_LIMIT, visit_key, every),
    "booking.ics": (ICS_LIMIT, visit_key, every),
}
# Views limited on GET (the others count their POSTs only).
LIMITED_ON_GET = ("booking.ics",)


# The kiosk's screen for a sentence (the visit area draws it: kiosk.visit.errors).
ScreenPage = Callable[[str], str]


def _too_many(screen_page: ScreenPage) -> Callable[[RateLimitExceeded], tuple[str, int]]:
    def too_many(error: RateLimitExceeded) -> tuple[str, int]:
        """A plain French sentence, on the page the person was using."""
        current_app.logger.info("rate limit reached on %s", request.endpoint)
        sentence = _("Trop d'essais en peu de temps. Attendez quelques minutes, puis recommencez.")
        if request.blueprint in ("doctor", "staff"):
            return render_template("portal/login.html", notice="", error=sentence, username="",
                                   layout=f"{request.blueprint}/layout.html",
                                   action=url_for(f"{request.blueprint}.login")), 429
        return screen_page(sentence), 429

    return too_many


def init_app(app: Flask, screen_page: ScreenPage) -> None:
    """Attach a limiter to the views listed above; call after registering the blueprints.
    ``screen_page`` draws the kiosk's screen that says a visit tried too often."""
    limiter = Limiter(
        key_func=visit_key,
        app=app,
        storage_uri=app.config["KIOSK"]["rate_limit_storage"],
        strategy="fixed-window",
        headers_enabled=False,
    )
    app.extensions["kiosk_limiter"] = limiter
    settings = app.config["KIOSK"]
    if settings["mode"] == "server" and settings["workers"] > 1 and \
            settings["rate_limit_storage"].startswith("memory://"):
        app.logger.warning("rate_limit_storage is memory:// with %s workers: each worker counts "
                           "alone; set it to redis://127.0.0.1:6379", settings["workers"])
    for endpoint, (limit, key, counts) in LIMITED_VIEWS.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            limited = limiter.limit(
                limit, key_func=key,
                methods=["GET"] if endpoint in LIMITED_ON_GET else ["POST"],
                deduct_when=counts)(view)
            # flask-limiter's decorator keeps the view's signature, but mypy merges Flask's
            # two view types (plain and async) into one it cannot put back: say which it is.
            app.view_functions[endpoint] = cast(RouteCallable, limited)
    app.register_error_handler(RateLimitExceeded, _too_many(screen_page))
