"""The kiosk's Flask application.

``create_app`` layers the configuration, attaches extensions and registers one blueprint per
journey. It opens nothing: no database connection, serial port or speech model (SECURITY.md
item 12), because gunicorn forks after loading the app.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk.core.config import LoadedConfig, load_config

PACKAGE_DIR = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """Templates ship inside the package in a wheel, and sit at the top level in a checkout."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def _secret_key(settings: dict[str, Any]) -> str:
    """The configured key, or one kept (0600) in the data folder so restarts keep sessions valid."""
    if settings["secret_key"]:
        return str(settings["secret_key"])
    path = Path(settings["data_dir"]) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def create_app(
    test_config: dict[str, Any] | None = None, config_file: str | os.PathLike[str] | None = None
) -> Flask:
    """Build the app. ``test_config``: lower-case keys are kiosk settings, upper-case Flask's."""
    test_config = dict(test_config or {})
    flask_overrides = {k: v for k, v in test_config.items() if k.isupper()}
    setting_overrides = {k: v for k, v in test_config.items() if not k.isupper()}
    loaded = load_config(config_file=config_file, overrides=setting_overrides)
    settings = loaded.values

    app = Flask(
        __name__, template_folder=str(templates_dir()), static_folder=str(PACKAGE_DIR / "static")
    )
    app.extensions["kiosk_config"] = loaded
    app.config.update(
        KIOSK=settings,
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        TRUSTED_HOSTS=settings["trusted_hosts"],
        WTF_CSRF_TIME_LIMIT=None,  # the token lives and dies with the server-side session
        WTF_CSRF_SSL_STRICT=bool(settings["tls"]),
        BABEL_DEFAULT_LOCALE=settings["languages"][0],
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        BABEL_DEFAULT_TIMEZONE=settings["timezone"],
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.config.update(flask_overrides)

    # The areas are imported here rather than at the top, so that importing one module of the
    # package (``kiosk.core.config`` in install.sh, say) does not load every area with it.
    from kiosk import appointment, booking, consult, doctor, fhir, staff, vitals
    from kiosk.core import db, health, healthz, i18n, runtime, typography
    from kiosk.devices import running
    from kiosk.devices import views as devices
    from kiosk.security import headers, limits, vault
    from kiosk.security.sessions import KioskSessionInterface
    from kiosk.speech import health as speech_health
    from kiosk.speech import listening, recognition, rendering, serving
    from kiosk.visit import assist_views, errors, lifecycle, screens, welcome
    from kiosk.visit import state as visit_state

    db.init_app(app, db.database_url(settings))
    # The session store (security) keeps the visit's plain keys in clear: the visit says which.
    app.session_interface = KioskSessionInterface(settings, clear_keys=visit_state.Visit.CLEAR)
    # The core stands below the areas: what it needs of them is handed to it here.
    i18n.init_app(app, chosen=visit_state.chosen_language)
    health.report(app, "speech", speech_health.speech_state)
    # What runs in the worker after gunicorn forks (kiosk.core.runtime), in this order.
    runtime.on_worker(app, "speech out", rendering.start, rendering.stop)
    runtime.on_worker(app, "speech in", recognition.start)  # models load in the background
    runtime.on_worker(app, "devices", running.start, running.stop)
    headers.init_app(app)  # CSRF, security headers, no-store
    vault.init_app(app)

    screens.init_app(app)
    typography.init_app(app)  # no line break inside "9 h 00" or before "?"
    errors.init_app(app)
    app.register_blueprint(healthz.bp)
    app.register_blueprint(lifecycle.bp)
    app.register_blueprint(welcome.bp)
    app.register_blueprint(booking.bp)
    app.register_blueprint(appointment.bp)
    appointment.init_app(app)
    app.register_blueprint(serving.bp)
    listening.init_app(app)  # speech in: "Parler" (models load after the fork, never here)
    app.register_blueprint(vitals.bp)
    app.register_blueprint(consult.bp)
    consult.init_app(app)
    app.register_blueprint(doctor.bp)  # with the call's signalling (kiosk.doctor.call)
    vitals.init_app(app)
    # The operator's self-test comes with a token file's header, from the loopback, never from a
    # browser form. The card poll is not exempt: it can begin or end a visit (issue 15 item 6).
    headers.csrf.exempt(devices.self_test)
    app.register_blueprint(devices.bp)
    headers.csrf.exempt(fhir.bp)  # bearer tokens, not cookies: nothing for CSRF to forge
    app.register_blueprint(fhir.bp)
    assist_views.init_app(app)  # assisted mode: the kiosk side, the banner, the end-of-visit hook
    app.register_blueprint(staff.bp)
    # Last: it wraps the sign-in and booking views registered above.
    limits.init_app(app, screen_page=errors.too_many_tries)
    return app


def kiosk_config(app: Flask) -> LoadedConfig:
    """The layered configuration of ``app``, with the source of each value."""
    return app.extensions["kiosk_config"]  # type: ignore[no-any-return]
