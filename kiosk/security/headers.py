"""Response headers and CSRF (SECURITY.md items 3, 6, 7, 8).

flask-talisman sets the strict CSP and the other hardening headers; Flask-WTF checks a CSRF token
on every state-changing request (htmx sends it from ``hx-headers`` on ``<body>``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

# No 'unsafe-inline', no 'unsafe-eval': every script and style is a file served by the kiosk.
CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

csrf = CSRFProtect()

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
    csrf.init_app(app)
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
