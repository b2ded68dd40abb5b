"""What runs inside the serving process, started after gunicorn forks.

Nothing here starts at import or in the app factory (SECURITY.md item 12). gunicorn's
``post_worker_init`` hook calls ``start``; ``worker_exit`` calls ``stop``.

The core knows no area: each part that runs in the worker (the voice, speech recognition, the
devices) is registered with ``on_worker`` by the app factory. ``start`` runs the parts' starts
in the order they were registered, on a kiosk unit only (server mode runs none of them);
``stop`` runs their stops in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

_PARTS = "kiosk_worker_parts"
_STARTED = "kiosk_worker_started"


@dataclass(frozen=True)
class WorkerPart:
    """Something the serving process runs: how to start it, and how to stop it."""

    name: str
    start: Callable[[Flask], None]
    stop: Callable[[Flask], None] | None = None


def on_worker(app: Flask, name: str, start: Callable[[Flask], None],
              stop: Callable[[Flask], None] | None = None) -> None:
    """Register a part of the worker (started after the fork, stopped at exit)."""
    parts: list[WorkerPart] = app.extensions.setdefault(_PARTS, [])
    parts.append(WorkerPart(name, start, stop))


def worker_parts(app: Flask) -> list[WorkerPart]:
    """The parts registered, in order."""
    return list(app.extensions.get(_PARTS, []))


def start(app: Flask) -> None:
    """Start every part of a kiosk unit's worker (server mode has none); twice starts once."""
    if app.config["KIOSK"]["mode"] != "unit" or app.extensions.get(_STARTED):
        return
    app.extensions[_STARTED] = True
    for part in worker_parts(app):
        part.start(app)


def stop(app: Flask) -> None:
    """Stop every part (the cuff deflates if a measurement runs)."""
    app.extensions.pop(_STARTED, None)
    for part in worker_parts(app):
        if part.stop is not None:
            part.stop(app)
