"""Booking, cancelling and moving appointments, atomically.

The database decides who gets a slot: a partial unique index allows one live appointment per
slot, and on SQLite the write transaction is begun IMMEDIATE so racers queue instead of failing
half-way (SECURITY.md items 13 to 15). The appointment, its patient and its audit row are
written in one transaction. A retried request with the same idempotency key gets the first
answer back instead of a second booking.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.booking.codes import new_code
from kiosk.core.db import Database
from kiosk.core.records import Appointment, AuditEvent, Patient, Slot
from kiosk.security.vault import Vault

CODE_ATTEMPTS = 5
LIVE_STATUSES = ("booked", "checked-in", "arrived")
# Someone late for their appointment can still find it for this long after its start.
LATE_ARRIVAL = timedelta(hours=1)

# Test hook: called inside the booking transaction between the appointment and its audit
# row, so a test can kill the process exactly there (SECURITY.md item 14).
between_inserts: Callable[[], None] | None = None


class BookingError(Exception):
    """Base of the booking domain's errors."""


class SlotTaken(BookingError):
    """Someone else booked this slot first (or it is past)."""


class AppointmentNotFound(BookingError):
    """No live appointment has this code."""


class VersionConflict(BookingError):
    """The appointment changed since the version the caller knows (an If-Match that fails)."""


class OtherDoctor(BookingError):
    """A move to a slot of another practitioner: an appointment moves with its own doctor only
    (issue 15 item 10; the screens say "Avec le même médecin")."""


class StatusNotChangeable(BookingError):
    """The appointment cannot go from its status to the one asked (e.g. out of cancelled)."""


@dataclass(frozen=True)
class Identity:
    """Who is booking, as read from the card or typed on screen."""

    surname: str
    first_name: str
    birth_date: date
    nir: str | None = None
    phone: str | None = None
    sex: str | None = None
    source: str = "typed"


@dataclass(frozen=True)
class Clinical:
    """What the doctor should know before the call: health data, stored encrypted."""

    reason: str
    answers: dict[str, bool] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"reason": self.reason, "answers": self.answers}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Clinical:
        data = json.loads(text)
        return cls(reason=str(data["reason"]), answers=dict(data.get("answers", {})))


def clinical_of(appointment: Appointment, vault: Vault) -> Clinical:
    """Decrypt the reason and answers of an appointment."""
    return Clinical.from_json(vault.decrypt(appointment.clinical_token))


def by_idempotency_key(db: Session, key: str) -> Appointment | None:
    return db.scalar(select(Appointment).where(Appointment.idempotency_key == key))


def slot_is_live(db: Session, slot_id: int, now: datetime) -> bool:
    slot = db.get(Slot, slot_id)
    if slot is None or slot.starts_at <= now:
        return False
    held = db.scalar(
        select(Appointment.id).where(
            Appointment.slot_id == slot_id, Appointment.status != "cancelled"
        )
    )
    return held is None


def book(
    database: Database,
    vault: Vault,
    *,
    slot_id: int,
    identity: Identity,
    clinical: Clinical,
    idempotency_key: str,
    actor: str,
    now: datetime,
) -> Appointment:
    """Book ``slot_id`` for ``identity``; raises SlotTaken if someone was first.

    Calling again with the same ``idempotency_key`` returns the same appointment.
    """

    def new_patient(db: Session) -> Patient:
        patient = Patient(
            pseudonym=secrets.token_hex(6),
            surname=identity.surname,
            first_name=identity.first_name,
            birth_date=identity.birth_date,
            sex=identity.sex,
            source=identity.source,
            created_at=now,
            nir_token=vault.encrypt(identity.nir) if identity.nir else None,
            phone_token=vault.encrypt(identity.phone) if identity.phone else None,
        )
        db.add(patient)
        db.flush()
        return patient

    return book_with(
        database,
        vault,
        patient_for=new_patient,
        slot_id=slot_id,
        clinical=clinical,
        idempotency_key=idempotency_key,
        actor=actor,
        now=now,
        hook=between_inserts,
    )


def book_with(
    database: Database,
    vault: Vault,
    *,
    patient_for: Callable[[Session], Patient],
    slot_id: int,
    clinical: Clinical,
    idempotency_key: str,
    actor: str,
    now: datetime,
    hook: Callable[[], None] | None = None,
) -> Appointment:
    """The one booking transaction, for any way of finding the patient (``patient_for`` runs
    inside it: it may create the patient, or fetch a stored one and raise if there is none).

    The write is begun IMMEDIATE; the partial unique index decides races; the appointment and
    its audit row commit together; ``hook`` runs between those two inserts (tests kill the
    process there). A retried ``idempotency_key`` returns the first appointment.
    """
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with database.write() as db:
                earlier = by_idempotency_key(db, idempotency_key)
                if earlier is not None:
                    return earlier
                patient = patient_for(db)
                if not slot_is_live(db, slot_id, now):
                    raise SlotTaken(slot_id)
                appointment = Appointment(
                    code=new_code(),
                    slot_id=slot_id,
                    patient_id=patient.id,
                    status="booked",
                    clinical_token=vault.encrypt(clinical.to_json()),
                    idempotency_key=idempotency_key,
                    created_at=now,
                    created_by=actor,
                )
                db.add(appointment)
                db.flush()
                if hook is not None:
                    hook()
                db.add(
                    AuditEvent(
                        at=now,
                        actor=actor,
                        action="appointment.booked",
                        subject_ref=patient.pseudonym,
                    )
                )
                return appointment
        except IntegrityError:
            # Another transaction won the slot, used the key, or (rarely) drew the same code.
            with database.read() as db:
                earlier = by_idempotency_key(db, idempotency_key)
                if earlier is not None:
                    return earlier
                if not slot_is_live(db, slot_id, now):
                    raise SlotTaken(slot_id) from None
    raise BookingError("could not draw a free reference code")


def find_live(db: Session, code: str, now: datetime) -> Appointment:
    """The appointment with this code that is still to come (or started within LATE_ARRIVAL)."""
    appointment = db.scalar(select(Appointment).where(Appointment.code == code))
    if (
        appointment is None
        or appointment.status not in LIVE_STATUSES
        or appointment.slot.starts_at < now - LATE_ARRIVAL
    ):
        raise AppointmentNotFound(code)
    return appointment


def cancel(database: Database, code: str, actor: str, now: datetime) -> Appointment:
    """Cancel an appointment; its slot becomes free again."""
    with database.write() as db:
        appointment = find_live(db, code, now)
        _set(db, appointment, "cancelled", actor, now)
        return appointment


def _set(db: Session, appointment: Appointment, status: str, actor: str, now: datetime) -> None:
    """Give the appointment its new status, with its audit row, in the caller's transaction."""
    appointment.status = status
    if status == "cancelled":
        appointment.cancelled_at = now
    db.add(AuditEvent(at=now, actor=actor, action=f"appointment.{status}",
                      subject_ref=appointment.patient.pseudonym))


# The statuses an agenda may set, and from which ones (FHIR R4 Appointment.status). "fulfilled"
# and "noshow" may be swapped, to mend a mistake, as the doctor's page allows.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    "checked-in": ("booked",),
    "arrived": ("booked", "checked-in"),
    "fulfilled": ("booked", "checked-in", "arrived", "noshow"),
    "noshow": ("booked", "checked-in", "arrived", "fulfilled"),
    "cancelled": LIVE_STATUSES,
}


def change_status(database: Database, appointment_id: int, status: str, actor: str,
                  now: datetime, version: int | None = None) -> Appointment:
    """Set the status of an appointment, in one transaction with its audit row.

    ``version``, if given, must be the appointment's current version, else VersionConflict.
    Asking for the status it already has changes nothing (not even the version). Raises
    AppointmentNotFound if there is no such appointment, StatusNotChangeable if the change is
    not in NEXT_STATUSES, or if it is a cancellation the kiosk would refuse too (past
    LATE_ARRIVAL).
    """
    if status not in NEXT_STATUSES:
        raise ValueError(status)
    with database.write() as db:
        # FOR UPDATE: on PostgreSQL a second writer waits here and then sees the new version;
        # SQLite's IMMEDIATE transaction has already serialised the writers.
        appointment = db.get(Appointment, appointment_id, with_for_update=True)
        if appointment is None:
            raise AppointmentNotFound(str(appointment_id))
        if version is not None and version != appointment.version:
            raise VersionConflict(str(appointment_id))
        if appointment.status == status:
            return appointment
        late = status == "cancelled" and appointment.slot.starts_at < now - LATE_ARRIVAL
        if appointment.status not in NEXT_STATUSES[status] or late:
            raise StatusNotChangeable(appointment.status)
        _set(db, appointment, status, actor, now)
        return appointment


def move(database: Database, code: str, new_slot_id: int, actor: str, now: datetime) -> Appointment:
    """Move an appointment to another free slot of the same practitioner; raises OtherDoctor
    for another practitioner's slot, and SlotTaken if it went meanwhile."""
    try:
        with database.write() as db:
            appointment = find_live(db, code, now)
            doctor = db.scalar(select(Slot.practitioner_id).where(Slot.id == new_slot_id))
            if doctor is not None and doctor != appointment.slot.practitioner_id:
                raise OtherDoctor(new_slot_id)
            if not slot_is_live(db, new_slot_id, now):
                raise SlotTaken(new_slot_id)
            appointment.slot_id = new_slot_id
            db.flush()
            db.add(
                AuditEvent(
                    at=now,
                    actor=actor,
                    action="appointment.moved",
                    subject_ref=appointment.patient.pseudonym,
                )
            )
            return appointment
    except IntegrityError:
        raise SlotTaken(new_slot_id) from None
