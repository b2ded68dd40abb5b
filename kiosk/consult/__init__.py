"""The video consultation (issue 6): check-in at the kiosk, consent, a device check, the
waiting room, the call with its chat, and the end screen with what the doctor wrote.

The call itself is browser to browser (WebRTC, ``static/call.js``), signalled through the
database (``signals``) so it works across gunicorn workers; or Jitsi Meet when
``video_provider`` is ``jitsi``. The doctor's side lives on the doctor's appointment page
(``kiosk.doctor.call``, ``templates/doctor/_call.html``).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from kiosk.consult import signals, views  # noqa: F401  (views registers the routes)
from kiosk.consult.blueprint import bp
from kiosk.consult.call_settings import call_config, room_name
from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.security.purge import on_purge
from kiosk.security.sessions import interface


def init_app(app: Flask) -> None:
    """Templates reach the call settings through ``call_config``; a visit that ends during a
    call hangs it up; the daily purge removes what a call left behind."""
    app.jinja_env.globals["call_config"] = call_config

    def hang_up(ref: str) -> None:
        signals.hang_up_visit(get_db(app), ref, utcnow())

    def forget_leftovers(db: Session, now: datetime) -> None:
        signals.purge_leftovers(db, now)  # nothing of a call outlives it

    interface(app).end_hooks.append(hang_up)
    on_purge(app, forget_leftovers)


__all__ = ["bp", "call_config", "init_app", "room_name"]
