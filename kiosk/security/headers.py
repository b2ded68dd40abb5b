"""Response headers and CSRF (SECURITY.md items 3, 6, 7, 8, 28).

flask-talisman sets the strict CSP and the other hardening headers; Flask-WTF checks a CSRF token
on every state-changing request (htmx sends it from ``hx-headers`` on ``<body>``).

A page shown to someone with no visit yet keeps nothing on the server (item 28): its token is
a random value signed with the app's secret (itsdangerous), time-limited, under a salt of its
own (``page_token``). The first state-changing request that brings such a token, unexpired,
adopts its value as the new visit's token (``adopt_signed_token``); the session store then
creates the visit's row. A page of a visit carries Flask-WTF's usual token, bound to the
visit: once the visit is wiped, that page is stale and refused, as before.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, current_app, g, request, session
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect, generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer

from kiosk.security.sessions import current_visit

# No 'unsafe-inline', no 'unsafe-eval': every script and style is a file served by the kiosk.
CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

class KioskCSRFProtect(CSRFProtect):  # type: ignore[misc]
    """Flask-WTF's check, given the visit's own token when a signed page token was adopted."""

    def _get_csrf_token(self) -> str | None:
        adopted = g.get("kiosk_adopted_csrf")
        return str(adopted) if adopted else super()._get_csrf_token()  # type: ignore[no-any-return]


csrf = KioskCSRFProtect()

# How long a token of a page shown before any visit stays good: a welcome screen waits long
# for someone to touch it; past this, the first touch brings the welcome screen back, fresh.
STATELESS_TOKEN_SECONDS = 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ANONYMOUS_SALT = "kiosk-anonymous-csrf"


def _anonymous_signer() -> URLSafeTimedSerializer:
    key = current_app.secret_key
    if not key:  # the app factory always sets one (kiosk._secret_key)
        raise RuntimeError("the app has no secret key to sign CSRF tokens with")
    return URLSafeTimedSerializer(key, salt=ANONYMOUS_SALT)


def page_token() -> str:
    """The CSRF token a page carries (``csrf_token()`` in templates): the visit's own once
    there is a visit, else a signed one that needs no row."""
    visit = current_visit()
    if visit.token is not None or visit.engaged:
        return str(generate_csrf())
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field not in session:
        session[field] = secrets.token_hex(20)
    return str(_anonymous_signer().dumps(session[field]))


def _sent_token() -> str | None:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    sent = request.form.get(field) if request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data") else None
    for header in current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"]):
        sent = sent or request.headers.get(header)
    return sent or None


def adopt_signed_token() -> None:
    """Before Flask-WTF's check: a request with no visit that brings a valid signed token makes
    that token's value the visit's own, so the check passes and the visit begins."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if request.method in SAFE_METHODS:
        return
    sent = _sent_token()
    if sent is None:
        return
    try:
        value = _anonymous_signer().loads(sent, max_age=STATELESS_TOKEN_SECONDS)
    except BadData:
        return  # Flask-WTF refuses it next, unless it is the visit's usual token
    if not isinstance(value, str):
        return
    if field not in session:
        session[field] = value  # the visit begins with this value as its token
    elif session[field] != value:
        return  # another visit's page: refused next
    # (A page of the welcome screen keeps its signed token after the visit began with it.)
    g.kiosk_adopted_csrf = generate_csrf()  # the same value, as Flask-WTF signs it

# Pages that hold a video call (or check the camera before one): the kiosk's consultation
# screens and the doctor's appointment page. They get a policy of their own (video_policy).
VIDEO_BLUEPRINTS = frozenset({"consult"})
VIDEO_ENDPOINTS = frozenset({"doctor.appointment"})


def video_policy(settings: dict[str, Any]) -> dict[str, str]:
    """Only what a call needs: media and signalling from the kiosk itself, and, when the
    provider is Jitsi, its IFrame API script and its frame from the configured domain only."""
    policy = {**CSP, "connect-src": "'self'", "media-src": "'self'"}
    if settings["video_provider"] == "jitsi":
        origin = f"https://{settings['jitsi_domain']}"
        policy["script-src"] = f"'self' {origin}"
        policy["frame-src"] = origin
    return policy


def _is_video_page() -> bool:
    return request.blueprint in VIDEO_BLUEPRINTS or request.endpoint in VIDEO_ENDPOINTS


class KioskTalisman(Talisman):  # type: ignore[misc]
    """Talisman, with the video pages' own policy and their camera and microphone."""

    def _get_local_options(self) -> dict[str, Any]:
        options: dict[str, Any] = super()._get_local_options()
        if not request or not _is_video_page():
            return options
        settings = current_app.config["KIOSK"]
        media = "(self)"
        if settings["video_provider"] == "jitsi":
            media = f'(self "https://{settings["jitsi_domain"]}")'
        return {**options, "content_security_policy": video_policy(settings),
                "permissions_policy": {**options["permissions_policy"],
                                       "camera": media, "microphone": media}}


def no_store(response: Response) -> Response:
    """Dynamic pages may hold a person's data: never cache them, and vary on htmx partials."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    """Install CSRF protection, the security headers and the no-store rule."""
    tls = bool(app.config["KIOSK"]["tls"])
    app.before_request(adopt_signed_token)  # before Flask-WTF's own check, registered next
    csrf.init_app(app)
    # Pages get page_token, not Flask-WTF's generate_csrf (its context processor runs first).
    app.jinja_env.globals["csrf_token"] = page_token
    app.context_processor(lambda: {"csrf_token": page_token})
    KioskTalisman(
        app,
        force_https=tls,
        strict_transport_security=tls,
        session_cookie_secure=tls,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",
        permissions_policy={"geolocation": "()", "payment": "()", "usb": "()"},
    )
    app.after_request(no_store)
