"""Migration 0009 on a kiosk that already holds appointments, on SQLite and PostgreSQL: each
gets its own ticket token (SECURITY.md item 24), nothing is lost, and the way back works."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.core.db import Database
from kiosk.core.migrate import downgrade, upgrade

RECORDS = (
    "INSERT INTO practitioner (id, surname, first_name, specialty, active) "
    "VALUES (1, 'Martin', 'Claire', 'médecine générale', true)",
    "INSERT INTO patient (id, pseudonym, surname, first_name, birth_date, source, created_at) "
    "VALUES (1, 'a1b2c3d4e5f6', 'DURAND', 'JEANNE', '1953-07-15', 'typed', '2026-11-30 08:00')",
    "INSERT INTO slot (id, practitioner_id, starts_at, ends_at) "
    "VALUES (1, 1, '2026-12-01 09:00', '2026-12-01 09:15')",
    "INSERT INTO appointment (id, code, slot_id, patient_id, status, clinical_token, "
    "idempotency_key, created_at, created_by) VALUES (1, 'K7MX2P', 1, 1, 'booked', 'x', 'k', "
    "'2026-11-30 08:00', 'visit:x')",
    "INSERT INTO slot (id, practitioner_id, starts_at, ends_at) "
    "VALUES (2, 1, '2026-12-01 09:15', '2026-12-01 09:30')",
    "INSERT INTO appointment (id, code, slot_id, patient_id, status, clinical_token, "
    "idempotency_key, created_at, created_by) VALUES (2, 'Q3RT7W', 2, 1, 'cancelled', 'x', "
    "'k2', '2026-11-30 08:05', 'visit:y')",
)


def test_0009_gives_every_appointment_its_own_token(database_url: str) -> None:
    upgrade(database_url, "0008")
    database = Database(database_url)
    with database.write() as db:
        for statement in RECORDS:
            db.execute(text(statement))
    database.dispose()
    upgrade(database_url)
    with database.read() as db:
        rows = db.execute(text("SELECT code, ticket_token FROM appointment ORDER BY id")).all()
        assert db.execute(text("SELECT count(*) FROM code_guess")).scalar() == 0
    assert [code for code, _token in rows] == ["K7MX2P", "Q3RT7W"]
    tokens = [token for _code, token in rows]
    assert all(len(token) >= 22 for token in tokens) and tokens[0] != tokens[1]
    assert not any(code in token for code, token in rows)
    with pytest.raises(IntegrityError), database.write() as db:  # stored unique
        db.execute(text("UPDATE appointment SET ticket_token = :t WHERE id = 2"),
                   {"t": tokens[0]})
    database.dispose()
    downgrade(database_url, "0008")  # and back, the appointments still there
    with database.read() as db:
        assert db.execute(text("SELECT count(*) FROM appointment")).scalar() == 2
    database.dispose()
