"""Server-side kiosk sessions that can be revoked (SECURITY.md items 1 to 4).

The cookie holds only a random token; the data lives in the ``kiosk_session`` table, keyed by the
token's SHA-256. Ending a session deletes the row, so a replayed cookie finds nothing. Idle and
absolute timeouts are enforced here, on the server, whatever the browser does.

A visit is *engaged* once it holds anything beyond the CSRF token (a language chosen, a journey
begun). Only engaged visits time out for idleness: a welcome screen left alone holds nothing.

The row keeps in clear only what the server must read without the field key (the CSRF token,
a portal sign-in's account, and the visit's plain part, which the app factory hands to the
interface: ``clear_keys``; the visit area stands above this one). Everything else -- the
visit's personal part (name, birth date, NIR, phone, reason, answers, readings, result, code)
and any key not listed -- is sealed in one vault token under ``SEALED_KEY`` (SECURITY.md item
25). `kiosk keys rotate` re-encrypts that token like every other one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, g
from flask import session as flask_session
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete
from werkzeug.datastructures import CallbackDict

from kiosk.core.db import get_db
from kiosk.core.records import KioskSession, utcnow
from kiosk.security.vault import Vault, VaultError, get_vault

# Keys the framework keeps in every session; they do not make a visit "engaged".
HOUSEKEEPING = frozenset({"csrf_token"})
# Keys always stored in clear: the CSRF token and a portal sign-in (an account id and its
# clock). The visit's plain keys join them (KioskSessionInterface's ``clear_keys``); anything
# else is sealed.
PORTAL_CLEAR = frozenset({"doctor_id", "doctor_signed_in_at", "doctor_seen_at", "staff_id"})
ALWAYS_CLEAR = HOUSEKEEPING | PORTAL_CLEAR
SEALED_KEY = "sealed"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def seal(data: dict[str, Any], vault: Vault,
         clear: frozenset[str] = ALWAYS_CLEAR) -> dict[str, Any]:
    """What the row stores for ``data``: the ``clear`` keys as they are, the rest in one token."""
    stored = {key: value for key, value in data.items() if key in clear}
    private = {key: value for key, value in data.items() if key not in clear}
    if private:
        stored[SEALED_KEY] = vault.encrypt(json.dumps(private, separators=(",", ":")))
    return stored


def unseal(stored: dict[str, Any], vault: Vault) -> dict[str, Any]:
    """The session's data from a row (raises VaultError if no key opens the sealed part).

    A row written before sealing existed holds its keys in clear: they are read as they are
    (and sealed on the next save)."""
    data = {key: value for key, value in stored.items() if key != SEALED_KEY}
    token = stored.get(SEALED_KEY)
    if isinstance(token, str):
        data.update(json.loads(vault.decrypt(token)))
    return data


# Requests that must not count as activity or write to the database.
# (The card poll runs every second: it must not keep an idle visit alive.)
# (So does the assisted-mode poll, and the staff page's live refresh.)
# (And the spoken timeout warning: speaking it must not reset the clock it warns about.)
# (And the end screen's check for the doctor's note: it waits as long as the visit lasts.)
PASSIVE_ENDPOINTS = frozenset({"static", "health.healthz", "devices.card_poll", "assist.poll",
                               "staff.live", "listen.timeout_prompt", "consult.end_poll"})
# An unchanged visit's last-seen time is rewritten at most this often; the idle limit is
# minutes, so a few seconds of slack cost nothing and save a synchronous write per request.
TOUCH_INTERVAL = timedelta(seconds=5)
STAFF_ABSOLUTE = timedelta(hours=10)


def hash_token(token: str) -> str:
    """The stored key for a cookie token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class KioskServerSession(CallbackDict[str, Any], SessionMixin):
    """The session dict Flask hands to views, plus what the lifecycle needs to know."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        token: str | None = None,
        created_at: datetime | None = None,
        extensions: int = 0,
    ) -> None:
        def on_update(_self: CallbackDict[str, Any]) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.created_at = created_at
        self.extensions = extensions
        self.modified = False
        self.ended = False
        self.last_seen_at: datetime | None = None

    @property
    def engaged(self) -> bool:
        """True once the visit holds something of the person's."""
        return any(key not in HOUSEKEEPING for key in self)

    @property
    def ref(self) -> str:
        """A short pseudonymous reference for logs and help requests; not the cookie."""
        return hash_token(self.token)[:12] if self.token else "anonymous"

    def give_id(self, now: datetime) -> str:
        """Draw the visit's id now if it has none yet (saving stores it and sets the cookie),
        so what a request keeps for the visit is found again under its ref."""
        if self.token is None:
            self.token = secrets.token_urlsafe(32)
            self.created_at = now
        return self.ref


def idle_deadline(last_seen: datetime, settings: dict[str, Any]) -> datetime:
    """When an engaged visit with no activity since ``last_seen`` is wiped."""
    return last_seen + timedelta(seconds=settings["idle_seconds"] + settings["warning_seconds"])


def _idle_anchor(row: KioskSession) -> datetime:
    """When idleness starts counting: the last request, or the end of a screen that waits on
    purpose (a 3-minute rest before a blood-pressure measurement), whichever is later."""
    busy = row.data.get("busy_until") if isinstance(row.data, dict) else None
    try:
        until = datetime.fromisoformat(busy) if isinstance(busy, str) else None
    except ValueError:
        until = None
    return max(row.last_seen_at, until) if until is not None else row.last_seen_at


# Called with the ended session's pseudonymous reference; journeys register their cleanups.
# What a hook returns (how many rows it deleted, say) is not looked at.
EndHook = Callable[[str], object]


class KioskSessionInterface(SessionInterface):
    """Stores sessions in the database and enforces idle and absolute timeouts."""

    def __init__(self, settings: dict[str, Any], clear_keys: frozenset[str] = frozenset()) -> None:
        """``clear_keys``: what the visit keeps that says nothing about the person, stored in
        clear beside ``ALWAYS_CLEAR`` so the server reads it without the field key."""
        self.settings = settings
        self.clear_keys = ALWAYS_CLEAR | clear_keys
        self.end_hooks: list[EndHook] = []

    def cookie_name(self, app: Flask) -> str:
        # The __Host- prefix pins the cookie to this origin, but browsers accept it only over TLS.
        return "__Host-kiosk" if self.settings["tls"] else "kiosk"

    def open_session(self, app: Flask, request: Request) -> KioskServerSession:
        g.kiosk_session_lost = False
        token = request.cookies.get(self.cookie_name(app))
        if not token:
            return KioskServerSession()
        now = utcnow()
        with get_db(app).read() as db:
            row = db.get(KioskSession, hash_token(token))
        if row is None:
            g.kiosk_session_lost = True
            return KioskServerSession()
        try:
            data = unseal(dict(row.data or {}), get_vault(app))
        except (VaultError, ValueError):
            data = None  # the key that sealed it is gone: nothing of it can be shown
        if data is None:
            with get_db(app).write() as db:
                db.execute(delete(KioskSession).where(KioskSession.id_hash == row.id_hash))
            g.kiosk_session_lost = True
            self.run_end_hooks(hash_token(token)[:12])
            return KioskServerSession()
        session = KioskServerSession(data, token, row.created_at, row.extensions)
        session.last_seen_at = row.last_seen_at
        too_old = now - row.created_at > self._absolute_limit(row)
        idle = session.engaged and now > idle_deadline(_idle_anchor(row), self.settings)
        if too_old or idle:
            with get_db(app).write() as db:
                db.execute(delete(KioskSession).where(KioskSession.id_hash == row.id_hash))
            g.kiosk_session_lost = True
            self.run_end_hooks(session.ref)
            return KioskServerSession()
        return session

    def _absolute_limit(self, row: KioskSession) -> timedelta:
        """A visit at the kiosk lasts at most absolute_seconds; a doctor's working session at a
        desk lasts a working day (the portal signs out after 15 idle minutes anyway)."""
        if isinstance(row.data, dict) and (row.data.get("doctor_id") or row.data.get("staff_id")):
            return STAFF_ABSOLUTE
        return timedelta(seconds=self.settings["absolute_seconds"])

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, KioskServerSession)
        stored = self._save(app, session, response)
        if g.get("kiosk_session_lost") and not stored:
            # The server wiped the visit (idle or absolute timeout, a row gone): the browser
            # forgets everything of it too, as when the person ends it (SECURITY.md item 4),
            # and the dead cookie goes even where the header is not obeyed.
            response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
            if "Set-Cookie" not in response.headers:
                response.delete_cookie(self.cookie_name(app), path="/",
                                       secure=bool(self.settings["tls"]), httponly=True,
                                       samesite="Strict")

    def _save(self, app: Flask, session: KioskServerSession, response: Response) -> bool:
        """Store the visit; True if this response sets its cookie (a visit lives on)."""
        name = self.cookie_name(app)
        secure = bool(self.settings["tls"])
        if session.ended:
            response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Strict")
            return False
        from flask import request

        passive = request.endpoint in PASSIVE_ENDPOINTS
        if not session and session.token is None:
            return False  # nothing to keep, no cookie to set
        if session.token is None and not session.engaged:
            # No visit yet, only a CSRF token: pages carry it signed, and it needs no row
            # (item 28). The row comes with the first request that begins something.
            return False
        if passive and not session.modified:
            return False
        now = utcnow()
        if (not session.modified and session.last_seen_at is not None
                and now - session.last_seen_at < TOUCH_INTERVAL):
            return False  # seen moments ago: spare the disk a synchronous write
        session.give_id(now)
        token = session.token
        assert token is not None  # give_id drew one
        with get_db(app).write() as db:
            row = db.get(KioskSession, hash_token(token))
            if row is None and session.last_seen_at is not None:
                # The visit was wiped (card pulled out, timeout, Terminer) while this request
                # ran: never bring the previous person's data back.
                response.delete_cookie(name, path="/", secure=secure, httponly=True,
                                       samesite="Strict")
                return False
            if row is None:
                row = KioskSession(
                    id_hash=hash_token(token), created_at=session.created_at or now
                )
                db.add(row)
            row.data = seal(dict(session), get_vault(app), self.clear_keys)
            row.extensions = session.extensions
            row.last_seen_at = now
        response.set_cookie(
            name, token, path="/", secure=secure, httponly=True, samesite="Strict"
        )
        return True

    def end(self, session: KioskServerSession) -> None:
        """Forget the visit: delete its row, run the journeys' cleanups, drop the cookie."""
        from flask import current_app

        if session.token is not None:
            with get_db(current_app).write() as db:
                row = db.get(KioskSession, hash_token(session.token))
                if row is not None:
                    db.delete(row)
            self.run_end_hooks(session.ref)
        session.clear()
        session.ended = True
        # The object no longer stands for a stored visit: if a caller starts a new one in it
        # (signing in rotates the id that way), saving must create it, not refuse it.
        session.last_seen_at = None

    def run_end_hooks(self, ref: str) -> None:
        for hook in self.end_hooks:
            hook(ref)


def interface(app: Flask) -> KioskSessionInterface:
    """The app's session interface, typed."""
    assert isinstance(app.session_interface, KioskSessionInterface)
    return app.session_interface


def current_visit() -> KioskServerSession:
    """This request's visit (or portal sign-in): the server-side session behind Flask's
    ``session`` proxy, typed. The one place that unwraps the proxy."""
    real = flask_session._get_current_object()  # type: ignore[attr-defined]
    assert isinstance(real, KioskServerSession), "the app's session interface is not the kiosk's"
    return real
