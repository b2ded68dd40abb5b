"""Response headers and CSRF (SECURITY.md items 3, 6, 7, 8).

flask-talisman sets the strict CSP and the other hardening headers; Flask-WTF checks a CSRF token
on every state-changing request (htmx sends it from ``hx-headers`` on ``<body>``).
"""

from __future__ import annotations

from flask import Flask, Response, request
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
    Talisman(
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
