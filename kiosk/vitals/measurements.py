"""The blood-pressure measurements kept: encrypted, tied to the visit, shared with the
appointment.

A result is deleted with the visit unless it is attached to an appointment (SECURITY.md items
18 and 19); attached, it waits for the doctor and is purged after the retention period.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.core.db import Database, changed_rows
from kiosk.core.records import Appointment, Measurement, Slot
from kiosk.security.vault import Vault


@dataclass(frozen=True)
class Result:
    """An averaged result and the readings it came from."""

    systolic: int
    diastolic: int
    pulse: int
    readings: tuple[tuple[int, int, int], ...]
    # The cuff noticed an irregular pulse during one of the readings (a BLE cuff says so).
    irregular: bool = False


def save(database: Database, vault: Vault, *, session_ref: str, result: Result,
         appointment_id: int | None, taken_at: datetime) -> int:
    """Store the result encrypted; returns its id."""
    with database.write() as db:
        return add(db, vault, session_ref=session_ref, result=result,
                   appointment_id=appointment_id, taken_at=taken_at).id


def add(db: Session, vault: Vault, *, session_ref: str, result: Result,
        appointment_id: int | None, taken_at: datetime,
        idempotency_key: str | None = None) -> Measurement:
    """Add the result, encrypted, in the caller's transaction (flushed: it has its id).

    ``idempotency_key`` is unique: a second reading under the same key fails at the flush.
    """
    values = {"systolic": result.systolic, "diastolic": result.diastolic,
              "pulse": result.pulse, "readings": [list(r) for r in result.readings],
              "irregular": result.irregular}
    row = Measurement(session_ref=session_ref, appointment_id=appointment_id,
                      taken_at=taken_at, values_token=vault.encrypt(json.dumps(values)),
                      idempotency_key=idempotency_key)
    db.add(row)
    db.flush()
    return row


def load(measurement: Measurement, vault: Vault) -> Result:
    """Decrypt a stored result."""
    values = json.loads(vault.decrypt(measurement.values_token))
    return Result(values["systolic"], values["diastolic"], values["pulse"],
                  tuple(tuple(r) for r in values["readings"]),  # type: ignore[misc]
                  bool(values.get("irregular", False)))


def todays_appointment(database: Database, codes: list[str], now: datetime,
                       tz: ZoneInfo) -> int | None:
    """The id of the first of these appointments that is today and still live, if any."""
    today = now.astimezone(tz).date()
    with database.read() as db:
        rows = db.execute(select(Appointment.id, Slot.starts_at).join(Slot).where(
            Appointment.code.in_(codes),
            Appointment.status.in_(("booked", "checked-in", "arrived")))).all()
    for appointment_id, starts_at in sorted(rows, key=lambda row: row[1]):
        if starts_at.astimezone(tz).date() == today:
            return int(appointment_id)
    return None


def forget_visit(database: Database, session_ref: str) -> int:
    """Delete the visit's results that no appointment needs (called when the visit ends)."""
    with database.write() as db:
        return changed_rows(db, delete(Measurement).where(
            Measurement.session_ref == session_ref, Measurement.appointment_id.is_(None)))
