"""A booked appointment at the kiosk: proving it with the code, the QR code or the card,
checking in, cancelling it, and moving it to another time."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from kiosk.appointment import guessing, move, second, views  # noqa: F401  (routes)
from kiosk.appointment.blueprint import bp
from kiosk.security.purge import on_purge


def _forget_old_guesses(db: Session, now: datetime) -> dict[str, int]:
    guesses, pauses = guessing.purge_old(db, now)
    return {"code_guesses": guesses, "code_pauses": pauses}


def init_app(app: Flask) -> None:
    """The daily purge removes refused tries at a code once they no longer count, and pauses
    of code entry once they are over (SECURITY.md items 18 and 24)."""
    on_purge(app, _forget_old_guesses)


__all__ = ["bp", "init_app"]
