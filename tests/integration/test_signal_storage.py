"""Signalling rows on SQLite and PostgreSQL: ids only grow, and nothing outlives the call."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.booking import service
from kiosk.consult import signals
from kiosk.core.db import Database
from kiosk.core.records import Appointment, Practitioner, SignalMessage, Slot
from kiosk.security.vault import Vault

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def vault_in(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "keys" / "fields.key")


def two_appointments(database: Database, tmp_path: Path) -> list[int]:
    vault = vault_in(tmp_path)
    with database.write() as db:
        doctor = Practitioner(surname="Martin", first_name="Claire")
        db.add(doctor)
        db.flush()
        for minutes in (10, 25):
            db.add(Slot(practitioner_id=doctor.id, starts_at=NOW + timedelta(minutes=minutes),
                        ends_at=NOW + timedelta(minutes=minutes + 15)))
    with database.read() as db:
        slot_ids = list(db.scalars(select(Slot.id).order_by(Slot.starts_at)))
    return [service.book(database, vault, slot_id=slot_id,
                         identity=service.Identity("DURAND", "Luc", date(1950, 3, 3)),
                         clinical=service.Clinical("other"), idempotency_key=f"k{slot_id}",
                         actor="test", now=NOW).id for slot_id in slot_ids]


def test_ids_only_grow_even_after_rows_are_deleted(database: Database, tmp_path: Path) -> None:
    first, second = two_appointments(database, tmp_path)
    ring = signals.send(database, first, "doctor", "ring", {}, NOW)
    ready = signals.send(database, first, "kiosk", "ready", {}, NOW)
    chat = signals.send(database, first, "kiosk", "chat", {"text": "Bonjour"}, NOW,
                        vault_in(tmp_path))
    assert ring < ready < chat
    assert signals.ringing(database, first) == ring
    seen = signals.after(database, first, ring, vault_in(tmp_path))
    assert [(m.kind, m.payload) for m in seen] == [("ready", {}), ("chat", {"text": "Bonjour"})]
    with database.read() as db:  # the chat's words are stored encrypted
        stored = db.scalar(select(SignalMessage.payload).where(SignalMessage.id == chat))
    assert "Bonjour" not in str(stored)
    assert signals.after(database, second, 0) == []  # another appointment sees nothing

    with database.write() as db:
        signals.forget(db, first)  # the newest rows are gone...
    again = signals.send(database, second, "doctor", "ring", {}, NOW)
    assert again > chat  # ...and their ids are not handed out again: "after N" stays true


def test_a_goodbye_ends_the_appointment_and_keeps_only_itself(
    database: Database, tmp_path: Path
) -> None:
    first, _second = two_appointments(database, tmp_path)
    signals.send(database, first, "doctor", "ring", {}, NOW)
    signals.send(database, first, "kiosk", "chat", {"text": "Bonjour"}, NOW, vault_in(tmp_path))
    bye = signals.send(database, first, "kiosk", "bye", {}, NOW)
    assert [(m.id, m.kind) for m in signals.after(database, first, 0)] == [(bye, "bye")]
    assert signals.ringing(database, first) is None
    with database.read() as db:
        assert db.get(Appointment, first).status == "fulfilled"  # type: ignore[union-attr]
    with pytest.raises(signals.NotCallable):
        signals.send(database, first, "doctor", "ring", {}, NOW)
    with database.write() as db:
        assert signals.purge_leftovers(db, NOW) == 1


def test_a_flood_is_refused_but_a_goodbye_still_passes(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _second = two_appointments(database, tmp_path)
    monkeypatch.setattr(signals, "MAX_MESSAGES", 3)
    for _ in range(3):
        signals.send(database, first, "kiosk", "chat", {"text": "a"}, NOW, vault_in(tmp_path))
    with pytest.raises(signals.BadMessage):
        signals.send(database, first, "kiosk", "chat", {"text": "a"}, NOW, vault_in(tmp_path))
    signals.send(database, first, "doctor", "bye", {}, NOW)


def test_key_rotation_re_encrypts_the_chat_of_a_call_under_way(
    database: Database, tmp_path: Path
) -> None:
    from kiosk.security.keys import rotate

    first, _second = two_appointments(database, tmp_path)
    vault = vault_in(tmp_path)
    signals.send(database, first, "doctor", "ring", {}, NOW)
    chat = signals.send(database, first, "kiosk", "chat", {"text": "J'ai mal"}, NOW, vault)
    with database.read() as db:
        before = db.scalar(select(SignalMessage.payload).where(SignalMessage.id == chat))
    rotate(database, vault)
    with database.read() as db:
        after = db.scalar(select(SignalMessage.payload).where(SignalMessage.id == chat))
    assert after != before
    only_new = vault_in(tmp_path)  # the file now holds the new key alone
    assert [m.payload for m in signals.after(database, first, 0, only_new)
            if m.kind == "chat"] == [{"text": "J'ai mal"}]
