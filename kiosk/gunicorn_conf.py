"""gunicorn settings derived from the kiosk's configuration (DESIGN.md "Processes").

Unit mode: one worker with threads, because one screen serves one person and the devices and
speech engines live in that worker. Server mode: several workers.
"""

from __future__ import annotations

from kiosk.core.config import load_config

_settings = load_config().values

bind = _settings["bind"]
worker_class = "gthread"
workers = 1 if _settings["mode"] == "unit" else _settings["workers"]
threads = _settings["threads"]
# Access logs would hold URLs of people's visits; errors go to stderr (the journal).
accesslog = None
errorlog = "-"
loglevel = "info"
graceful_timeout = 5
timeout = 60


def post_worker_init(worker: object) -> None:
    """Devices start in the worker, after the fork, never in the master (DESIGN.md)."""
    # Imported here, not at the top: gunicorn's master reads this file and must not load the
    # device drivers and the speech engine it never uses (no import circle is involved).
    from kiosk.core.runtime import start

    start(worker.wsgi)  # type: ignore[attr-defined]


def worker_exit(server: object, worker: object) -> None:
    """Close the devices; a running measurement is aborted so the cuff deflates."""
    from kiosk.core.runtime import stop

    app = getattr(worker, "wsgi", None)
    if app is not None:
        stop(app)
