"""Migration 0008 on a kiosk that already holds records, on SQLite and PostgreSQL: nothing is
lost, every appointment starts at version 1, and a doctor token made before tokens were bound
to a practitioner reaches nothing (SECURITY.md item 26)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from kiosk import create_app
from kiosk.core.db import Database, get_db
from kiosk.core.migrate import downgrade, upgrade
from kiosk.security.tokens import hash_token

OLD_DOCTOR = "kiosk_" + "d" * 43
RECORDS = (
    "INSERT INTO practitioner (id, surname, first_name, specialty, active) "
    "VALUES (1, 'Martin', 'Claire', 'médecine générale', true)",
    "INSERT INTO slot (id, practitioner_id, starts_at, ends_at) "
    "VALUES (1, 1, '2026-12-01 09:00', '2026-12-01 09:15')",
    "INSERT INTO patient (id, pseudonym, surname, first_name, birth_date, source, created_at) "
    "VALUES (1, 'a1b2c3d4e5f6', 'DURAND', 'JEANNE', '1953-07-15', 'typed', '2026-11-30 08:00')",
    "INSERT INTO appointment (id, code, slot_id, patient_id, status, clinical_token, "
    "idempotency_key, created_at, created_by) VALUES (1, 'K7MX2P', 1, 1, 'booked', 'x', 'k', "
    "'2026-11-30 08:00', 'visit:x')",
    "INSERT INTO measurement (session_ref, appointment_id, taken_at, values_token) "
    "VALUES ('visit', 1, '2026-11-30 08:00', 'x')",
    f"INSERT INTO api_token (name, role, token_hash, created_at) "
    f"VALUES ('dr-old', 'doctor', '{hash_token(OLD_DOCTOR)}', '2026-11-30 08:00')",
)


def test_0008_keeps_the_records_and_stops_unbound_doctor_tokens(
    database_url: str, settings: dict[str, Any]
) -> None:
    upgrade(database_url, "0007")
    database = Database(database_url)
    with database.write() as db:
        for statement in RECORDS:
            db.execute(text(statement))
    database.dispose()
    upgrade(database_url)  # 0008: new columns beside tables other tables point at
    with database.read() as db:
        assert db.execute(text("SELECT code, version FROM appointment")).all() == [("K7MX2P", 1)]
        assert db.execute(text("SELECT count(*) FROM measurement")).scalar() == 1
        assert db.execute(text("SELECT practitioner_id FROM api_token")).all() == [(None,)]
    database.dispose()
    app = create_app({**settings, "database_url": database_url})
    answer = app.test_client().get(
        "/fhir/Appointment/1", headers={"Authorization": f"Bearer {OLD_DOCTOR}"}
    )
    assert answer.status_code == 403 and "names no practitioner" in answer.get_data(as_text=True)
    get_db(app).dispose()
    downgrade(database_url, "0007")  # and back, records still there
    with database.read() as db:
        assert db.execute(text("SELECT count(*) FROM appointment")).scalar() == 1
    database.dispose()
