"""Signalling between the kiosk and the doctor, stored in the database so that any gunicorn
worker can answer either side: each side posts messages and polls "everything after id N".

Chat lines travel here too. They are health data: encrypted with the vault while stored
(``text_token`` in the payload; SECURITY.md item 19), never logged, and deleted with the rest
when the call ends (``hang_up``) or, at the latest, by ``kiosk purge`` (``purge_leftovers``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.core.db import Database, changed_rows
from kiosk.core.records import SIGNAL_KINDS, Appointment, AuditEvent, SignalMessage
from kiosk.security.vault import Vault

SENDERS = ("kiosk", "doctor")
# What each side may say (call.js): the doctor rings and offers, the kiosk says it is ready
# and answers; both exchange candidates, chat and say goodbye.
MAY_SEND = {"kiosk": ("ready", "answer", "candidate", "chat", "bye"),
            "doctor": ("ring", "offer", "candidate", "chat", "bye")}
# An SDP offer is a few kilobytes; anything much bigger is not signalling.
MAX_PAYLOAD = 32_000
MAX_CHAT = 500
# One poll returns at most this many messages; the next poll carries on from the last id.
PAGE = 200
# A call exchanges a few hundred messages; past this, someone is flooding the table.
MAX_MESSAGES = 5000
# Statuses in which a call may ring; a call ends the appointment (fulfilled).
CALLABLE = ("booked", "checked-in", "arrived")
# Leftover rows older than this are purged whatever their appointment's status.
LEFTOVER_AGE = timedelta(hours=12)


class BadMessage(ValueError):
    """The message is not one the call understands (kind, size, shape)."""


class NotCallable(Exception):
    """The appointment is over, cancelled or unknown: no call can ring."""


@dataclass(frozen=True)
class Message:
    id: int
    sender: str
    kind: str
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "sender": self.sender, "kind": self.kind, "payload": self.payload}


def clean(kind: str, payload: Any) -> dict[str, Any]:
    """The payload to store, or BadMessage. Chat text is trimmed to a line of MAX_CHAT."""
    if kind not in SIGNAL_KINDS:
        raise BadMessage("kind")
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise BadMessage("payload")
    if len(json.dumps(payload)) > MAX_PAYLOAD:
        raise BadMessage("size")
    if kind == "chat":
        text = payload.get("text")
        if not isinstance(text, str):
            raise BadMessage("chat")
        text = " ".join("".join(ch for ch in text if ch.isprintable()).split())[:MAX_CHAT]
        if not text:
            raise BadMessage("chat")
        return {"text": text}
    return payload


def send(database: Database, appointment_id: int, sender: str, kind: str, payload: Any,
         now: datetime, vault: Vault | None = None) -> int:
    """Store one message; returns its id. A chat line needs ``vault``: its text is encrypted.

    The appointment row is locked first (FOR UPDATE on PostgreSQL; SQLite writes are serial
    anyway), so within one appointment ids are committed in the order they were drawn and a
    reader polling "after id N" never skips a message committed late.
    """
    if sender not in SENDERS:
        raise ValueError(sender)
    stored = clean(kind, payload)
    if kind not in MAY_SEND[sender]:
        raise BadMessage("kind")
    if kind == "chat":
        if vault is None:
            raise ValueError("a chat line is stored encrypted: pass the vault")
        stored = {"text_token": vault.encrypt(stored["text"])}
    with database.write() as db:
        status = db.scalar(select(Appointment.status).where(Appointment.id == appointment_id)
                           .with_for_update())
        if status is None:
            raise NotCallable(appointment_id)
        if kind != "bye" and status not in CALLABLE:  # over: only a goodbye still passes
            raise NotCallable(appointment_id)
        stored_count = db.scalar(select(func.count()).select_from(SignalMessage)
                                 .where(SignalMessage.appointment_id == appointment_id)) or 0
        if stored_count >= MAX_MESSAGES and kind != "bye":
            raise BadMessage("too many")
        row = SignalMessage(appointment_id=appointment_id, sender=sender, kind=kind,
                            payload=stored, created_at=now)
        db.add(row)
        db.flush()
        if kind == "ring":
            db.add(AuditEvent(at=now, actor=sender, action="call.rang",
                              subject_ref=f"appointment:{appointment_id}"))
        if kind == "bye":
            _hang_up(db, appointment_id, row.id, sender, now)
        return int(row.id)


def _hang_up(db: Session, appointment_id: int, bye_id: int, sender: str, now: datetime) -> None:
    """The call is over: the appointment is done, and everything said before the goodbye goes.

    The goodbye itself stays, so the other side still learns of it, even once the doctor marks
    the appointment (``close``); it goes with the purge.
    """
    appointment = db.get(Appointment, appointment_id)
    if appointment is not None and appointment.status in CALLABLE:
        appointment.status = "fulfilled"
    db.execute(delete(SignalMessage).where(SignalMessage.appointment_id == appointment_id,
                                           SignalMessage.id < bye_id))
    db.add(AuditEvent(at=now, actor=sender, action="call.ended",
                      subject_ref=f"appointment:{appointment_id}"))


def after(database: Database, appointment_id: int, since: int,
          vault: Vault | None = None) -> list[Message]:
    """This appointment's messages with an id above ``since``, oldest first (PAGE at most).

    Chat lines come decrypted (``{"text": ...}``), so reading one needs ``vault``.
    """
    with database.read() as db:
        rows = db.scalars(select(SignalMessage)
                          .where(SignalMessage.appointment_id == appointment_id,
                                 SignalMessage.id > since)
                          .order_by(SignalMessage.id).limit(PAGE))
        found = [(r.id, r.sender, r.kind, dict(r.payload or {})) for r in rows]
    return [Message(i, sender, kind, _readable(kind, payload, vault))
            for i, sender, kind, payload in found]


def _readable(kind: str, payload: dict[str, Any], vault: Vault | None) -> dict[str, Any]:
    if kind != "chat":
        return payload
    if vault is None:
        raise ValueError("a chat line is stored encrypted: pass the vault")
    return {"text": vault.decrypt(str(payload.get("text_token", "")))}


def last_id(database: Database, appointment_id: int) -> int:
    """The newest message's id (0 if none): a page that opens now starts reading after it."""
    with database.read() as db:
        return int(db.scalar(select(func.max(SignalMessage.id))
                             .where(SignalMessage.appointment_id == appointment_id)) or 0)


def ringing(database: Database, appointment_id: int) -> int | None:
    """The id of the doctor's latest ring if no goodbye came after it: the call is on."""
    return calls(database, [appointment_id]).get(appointment_id)


def calls(database: Database, appointment_ids: Iterable[int]) -> dict[int, int]:
    """For each appointment whose call is on: the id of the ring that started it."""
    ids = list(appointment_ids)
    if not ids:
        return {}
    with database.read() as db:
        rows = db.execute(select(SignalMessage.appointment_id, SignalMessage.kind,
                                 func.max(SignalMessage.id))
                          .where(SignalMessage.appointment_id.in_(ids),
                                 SignalMessage.kind.in_(("ring", "bye")))
                          .group_by(SignalMessage.appointment_id, SignalMessage.kind)).all()
    rings: dict[int, int] = {}
    byes: dict[int, int] = {}
    for appointment_id, kind, top in rows:
        (rings if kind == "ring" else byes)[int(appointment_id)] = int(top)
    return {a: r for a, r in rings.items() if r > byes.get(a, 0)}


def forget(db: Session, appointment_id: int) -> int:
    """Delete every signalling row of the appointment (it is done, absent or cancelled)."""
    return changed_rows(db, delete(SignalMessage)
                        .where(SignalMessage.appointment_id == appointment_id))


def close(db: Session, appointment_id: int, sender: str, now: datetime,
          actor: str | None = None) -> None:
    """The appointment is marked over (done, no-show) by ``sender``: nothing of the call stays
    but a goodbye, so the other side still learns the call ended.

    A call still on gets ``sender``'s goodbye (the hang-up path); one that already ended keeps
    its last goodbye. The goodbye goes with the purge (the appointment is no longer callable).
    ``actor`` (the account that marked it) is journaled as the one who ended the call.
    """
    tops = dict(db.execute(select(SignalMessage.kind, func.max(SignalMessage.id))
                           .where(SignalMessage.appointment_id == appointment_id,
                                  SignalMessage.kind.in_(("ring", "bye")))
                           .group_by(SignalMessage.kind)).all())
    ring, bye = int(tops.get("ring") or 0), int(tops.get("bye") or 0)
    if ring > bye:
        row = SignalMessage(appointment_id=appointment_id, sender=sender, kind="bye",
                            payload={}, created_at=now)
        db.add(row)
        db.flush()
        bye = int(row.id)
        _hang_up(db, appointment_id, bye, actor or sender, now)
    db.execute(delete(SignalMessage).where(SignalMessage.appointment_id == appointment_id,
                                           SignalMessage.id != bye))


def is_callable(database: Database, appointment_id: int) -> bool:
    """Whether a call may still go on for this appointment (not done, absent or cancelled)."""
    with database.read() as db:
        status = db.scalar(select(Appointment.status).where(Appointment.id == appointment_id))
    return status in CALLABLE


def purge_leftovers(db: Session, now: datetime) -> int:
    """Rows of appointments no longer live, or older than LEFTOVER_AGE (a kiosk switched off
    mid-call): nothing of a call outlives it."""
    over = select(Appointment.id).where(Appointment.status.not_in(CALLABLE))
    return changed_rows(db, delete(SignalMessage).where(
        (SignalMessage.appointment_id.in_(over)) | (SignalMessage.created_at < now - LEFTOVER_AGE)))


def hang_up_visit(database: Database, visit_ref: str, now: datetime) -> list[int]:
    """The visit ended (Terminer, card out, timeout) during a call: say goodbye for it, so the
    doctor is not left facing a frozen picture. Returns the appointments hung up."""
    with database.read() as db:
        readies = db.execute(select(SignalMessage.appointment_id, SignalMessage.payload)
                             .where(SignalMessage.kind == "ready",
                                    SignalMessage.sender == "kiosk")).all()
    mine = {int(a) for a, payload in readies
            if isinstance(payload, dict) and payload.get("visit") == visit_ref}
    ended = []
    for appointment_id in sorted(mine):
        if ringing(database, appointment_id) is not None:
            send(database, appointment_id, "kiosk", "bye", {}, now)
            ended.append(appointment_id)
    return ended
