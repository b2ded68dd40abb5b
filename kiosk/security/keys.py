"""`kiosk keys rotate`: a new field key, and every encrypted value re-encrypted with it
(SECURITY.md item 19).

1. The new key is written first in the key file, before the old ones: from then on every
   process encrypts with it and still reads values encrypted with the old ones (the vault
   reads the file again when it changes).
2. In one write transaction, every vault token is re-encrypted with the new key: each column
   named ``*_token`` of type Text (the NIR, the phone, the reason and answers, the
   measurements, the doctor's notes, and any later one that follows the convention), the
   encrypted values inside kiosk visits' data (their sealed part, and the tokens inside it,
   kiosk.security.sessions), and the chat lines of calls under way
   (``signal_message.payload``). If anything fails, the transaction rolls back and both keys
   stay in the file: nothing is lost.
3. A last pass re-encrypts any value written with an old key meanwhile, then the old keys are
   dropped from the file (unless ``--keep-old``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import click
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Column, Text, select, update
from sqlalchemy.orm import Session

from kiosk.core.db import Database, get_db
from kiosk.core.records import Base, KioskSession, SignalMessage, utcnow
from kiosk.security.audit import record
from kiosk.security.sessions import SEALED_KEY
from kiosk.security.vault import Vault, get_vault

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, then a timestamp)


def encrypted_columns() -> list[tuple[type[Any], Column[Any]]]:
    """(model, column) for every column holding vault tokens: named *_token, of type Text."""
    found = []
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            if column.key.endswith("_token") and isinstance(column.type, Text):
                found.append((mapper.class_, column))
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1].key))


def _rotate_json(value: Any, fernet: MultiFernet, counter: list[int]) -> Any:
    """The same JSON with every vault token in it re-encrypted."""
    if isinstance(value, dict):
        return {k: _rotate_json(v, fernet, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_rotate_json(v, fernet, counter) for v in value]
    if isinstance(value, str) and value.startswith(FERNET_PREFIX):
        try:
            rotated = fernet.rotate(value.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError):
            return value  # looked like a token, is not one of ours
        counter[0] += 1
        return rotated
    return value


def _needs(token: str, newest: Fernet) -> bool:
    try:
        newest.decrypt(token.encode("ascii"))
    except InvalidToken:
        return True
    return False


def _rotate_all(db: Session, fernet: MultiFernet, newest: Fernet | None) -> int:
    """Re-encrypt every token (or, with ``newest``, only those it cannot open yet)."""
    count = 0
    for model, column in encrypted_columns():
        key = model.__mapper__.primary_key[0]
        for row_id, token in db.execute(select(key, column).where(column.is_not(None))):
            if newest is not None and not _needs(token, newest):
                continue
            new = fernet.rotate(token.encode("ascii")).decode("ascii")  # InvalidToken: abort
            db.execute(update(model).where(key == row_id).values({column.key: new}))
            count += 1
    for visit in db.scalars(select(KioskSession)):
        counter = [0]
        data = _rotate_json(visit.data, fernet, counter) if newest is None else \
            _rotate_json_stragglers(visit.data, fernet, newest, counter)
        data = _rotate_sealed(data, fernet, newest, counter)
        if counter[0]:
            visit.data = data
            count += counter[0]
    chats = db.execute(select(SignalMessage.id, SignalMessage.payload)
                       .where(SignalMessage.kind == "chat")).all()
    for row_id, payload in chats:
        counter = [0]
        rotated = _rotate_json(payload, fernet, counter) if newest is None else \
            _rotate_json_stragglers(payload, fernet, newest, counter)
        if counter[0]:
            db.execute(update(SignalMessage).where(SignalMessage.id == row_id)
                       .values(payload=rotated))
            count += counter[0]
    return count


def _rotate_json_stragglers(value: Any, fernet: MultiFernet, newest: Fernet,
                            counter: list[int]) -> Any:
    if isinstance(value, dict):
        return {k: _rotate_json_stragglers(v, fernet, newest, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_rotate_json_stragglers(v, fernet, newest, counter) for v in value]
    if isinstance(value, str) and value.startswith(FERNET_PREFIX) and _needs(value, newest):
        return _rotate_json(value, fernet, counter)
    return value


def _rotate_sealed(data: Any, fernet: MultiFernet, newest: Fernet | None,
                   counter: list[int]) -> Any:
    """A visit's sealed part holds tokens of its own (the draft's NIR and phone): they are
    re-encrypted inside it, then the part is sealed again with the newest key."""
    sealed = data.get(SEALED_KEY) if isinstance(data, dict) else None
    if not isinstance(sealed, str):
        return data
    inner = json.loads(fernet.decrypt(sealed.encode("ascii")))  # InvalidToken: abort
    inner_counter = [0]
    inner = _rotate_json(inner, fernet, inner_counter) if newest is None else \
        _rotate_json_stragglers(inner, fernet, newest, inner_counter)
    if newest is not None and not inner_counter[0] and not _needs(sealed, newest):
        return data
    counter[0] += inner_counter[0] + (0 if newest is None else 1)
    # (with newest None the outer token was already counted by _rotate_json)
    text = json.dumps(inner, separators=(",", ":")).encode("utf-8")
    return {**data, SEALED_KEY: fernet.encrypt(text).decode("ascii")}


@dataclass(frozen=True)
class Rotation:
    reencrypted: int
    stragglers: int
    keys_kept: int


def rotate(database: Database, vault: Vault, keep_old: bool = False) -> Rotation:
    """Add a key, re-encrypt everything with it in one transaction, then drop the old keys."""
    vault.encrypt("")  # make sure a key file exists (created on first use)
    old = vault.key_lines()
    new = Fernet.generate_key().decode("ascii")
    vault.write_keys([new, *old])
    fernet = MultiFernet([Fernet(k.encode()) for k in (new, *old)])
    newest = Fernet(new.encode())
    with database.write() as db:
        count = _rotate_all(db, fernet, None)
        record(db, actor="system:cli", action="keys.rotated", now=utcnow())
    with database.write() as db:
        stragglers = _rotate_all(db, fernet, newest)
    kept = [new, *old] if keep_old else [new]
    vault.write_keys(kept)
    return Rotation(count, stragglers, len(kept))


@click.group("keys")
def keys_group() -> None:
    """The field encryption keys (kept outside the database)."""


@keys_group.command("rotate")
@click.option("--keep-old", is_flag=True, help="keep the old keys in the file afterwards")
@with_appcontext
def keys_rotate(keep_old: bool) -> None:
    """Add a new key and re-encrypt every encrypted value with it, in one transaction."""
    result = rotate(get_db(), get_vault(current_app), keep_old=keep_old)
    click.echo(f"{result.reencrypted} values re-encrypted with the new key"
               + (f" ({result.stragglers} written meanwhile)" if result.stragglers else "")
               + f"; {result.keys_kept} key(s) in {get_vault(current_app).key_file}")
