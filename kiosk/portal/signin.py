"""Portal sign-in, doctors and staff: argon2 passwords, lockout, session rotation and
inactivity sign-out.

A failed sign-in always gets the same sentence, whether the name is unknown, the password
wrong or the account locked, so the form does not tell which accounts exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, session
from sqlalchemy import select

from kiosk.core.db import Database
from kiosk.core.records import Account, AuditEvent
from kiosk.security.accounts import hash_password, verify_password
from kiosk.security.sessions import current_visit, interface

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
DEFAULT_IDLE_SECONDS = 900
# Session keys of a signed-in account.
ACCOUNT_KEY = "doctor_id"
SIGNED_IN_KEY = "doctor_signed_in_at"
SEEN_KEY = "doctor_seen_at"
# The kiosk session layer wipes an idle visit after a couple of minutes; this key (which it
# honours) moves that deadline to the portal's own, longer, inactivity limit.
BUSY_KEY = "busy_until"

# Compared against when the name is unknown, so both failures cost one argon2 verification.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not a password of anyone")
    return _DUMMY_HASH


def actor_of(account_id: int) -> str:
    """The audit journal's name for an account: its id, never its name."""
    return f"account:{account_id}"


def idle_limit() -> timedelta:
    """How long a signed-in account may stay inactive (setting ``doctor_idle_seconds``, which
    both portals use)."""
    seconds = current_app.config["KIOSK"].get("doctor_idle_seconds", DEFAULT_IDLE_SECONDS)
    return timedelta(seconds=int(seconds))


def authenticate(
    database: Database, username: str, password: str, now: datetime,
    roles: tuple[str, ...] | None = None, action: str = "doctor.signin",
) -> int | None:
    """The account id if the password is right and the account not locked, else None.

    Each failure counts; the fifth in a row locks the account for LOCKOUT. A success resets
    the count. Attempts on a locked account are refused without checking the password.
    ``roles``: only accounts with one of them may sign in here (others fail like an unknown
    name). ``action`` is what the journal calls a success (the staff portal shares this code).
    """
    with database.write() as db:
        account = db.scalar(select(Account).where(Account.username == username))
        if account is not None and roles is not None and account.role not in roles:
            account = None
        if account is None:
            verify_password(_dummy_hash(), password)
            return None
        if account.locked_until is not None and account.locked_until > now:
            verify_password(_dummy_hash(), password)  # same cost: a lock is not a tell either
            return None
        if not verify_password(account.password_hash, password):
            account.failed_attempts = (account.failed_attempts or 0) + 1
            if account.failed_attempts >= MAX_FAILURES:
                account.locked_until = now + LOCKOUT
                account.failed_attempts = 0
                db.add(AuditEvent(at=now, actor=actor_of(account.id), action="account.locked"))
            return None
        account.failed_attempts = 0
        account.locked_until = None
        db.add(AuditEvent(at=now, actor=actor_of(account.id), action=action))
        return account.id


def start(account_id: int, now: datetime, key: str = ACCOUNT_KEY) -> None:
    """Sign in: forget the old session and its id, and start a fresh one for the account
    (kept under ``key``: the staff portal keeps its own)."""
    visit = current_visit()
    interface(current_app).end(visit)
    # end() drops the record; clearing the token makes the next save draw a new id.
    visit.ended = False
    visit.token = None
    visit.created_at = None
    visit[key] = account_id
    visit[SIGNED_IN_KEY] = now.isoformat()
    touch(now)


def touch(now: datetime) -> None:
    """Record activity now, and keep the kiosk's shorter idle wipe away until our own limit."""
    session[SEEN_KEY] = now.isoformat()
    session[BUSY_KEY] = (now + idle_limit()).isoformat()


def end() -> None:
    """Sign out: the server record is deleted and the cookie dropped."""
    interface(current_app).end(current_visit())


def is_idle(now: datetime) -> bool:
    """True when the signed-in account has been inactive longer than the limit."""
    seen = session.get(SEEN_KEY)
    try:
        last = datetime.fromisoformat(seen) if isinstance(seen, str) else None
    except ValueError:
        last = None
    return last is None or now - last > idle_limit()
