"""The stored records. Later journeys add theirs here, each with an Alembic migration.

Times are stored as UTC. SQLite has no time zone type, so ``UTCDateTime`` stores naive UTC and
hands back aware datetimes, the same on both databases.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime stored as naive UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now, aware, in UTC. Tests freeze it with time-machine."""
    return datetime.now(UTC)


def new_ticket_token() -> str:
    """A ticket's token: 128 random bits, URL-safe (22 characters, a small QR code)."""
    return secrets.token_urlsafe(16)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Site(Base):
    """A place with a kiosk: a town hall or a pharmacy."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    # What a consultation costs the person, in cents; 0 is "nothing to pay".
    cost_cents: Mapped[int] = mapped_column(Integer, default=0)


class Practitioner(Base):
    """A doctor who consults from elsewhere."""

    __tablename__ = "practitioner"
    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    specialty: Mapped[str] = mapped_column(String(100), default="médecine générale")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The national number of a health professional (11 digits, Luhn key): how agendas and
    # records name a doctor, and how `kiosk token create --practitioner` may name one.
    rpps: Mapped[str | None] = mapped_column(String(11), unique=True, index=True, nullable=True)
    availabilities: Mapped[list[Availability]] = relationship(back_populates="practitioner")


class Availability(Base):
    """A weekly recurring opening: weekday (0 = Monday) from start to end, in site-local minutes."""

    __tablename__ = "availability"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440", name="minutes"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    practitioner: Mapped[Practitioner] = relationship(back_populates="availabilities")


class Slot(Base):
    """A bookable time of one practitioner. The pair (practitioner, start) exists once."""

    __tablename__ = "slot"
    __table_args__ = (UniqueConstraint("practitioner_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    practitioner: Mapped[Practitioner] = relationship()


class Account(Base):
    """A staff member or doctor who signs in. Passwords are argon2 hashes."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("role IN ('agent', 'pharmacist', 'admin', 'doctor')", name="role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="SET NULL"), nullable=True
    )
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # What the person at the kiosk hears: "Sophie, pharmacienne" (empty: said from the role).
    job_title: Mapped[str] = mapped_column(String(100), default="", server_default="")


class KioskSession(Base):
    """The server-side record of one person's visit. Deleting it forgets them.

    The primary key is the SHA-256 of the cookie value, so a copy of the database does not
    hand out live cookies.
    """

    __tablename__ = "kiosk_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditEvent(Base):
    """Who did what, when, on which pseudonymous reference. Never health values or names."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    subject_ref: Mapped[str] = mapped_column(String(100), default="")


class CodeGuess(Base):
    """A refused try at an appointment's code or its second proof, at this unit (SECURITY.md
    item 24). Only the time: never the code typed, nor who tried."""

    __tablename__ = "code_guess"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CodePause(Base):
    """Code entry paused for the whole unit after too many refused tries, until ``until`` or
    until staff lift it (``lifted_at``, ``lifted_by``: an account reference)."""

    __tablename__ = "code_pause"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lifted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class HelpRequest(Base):
    """Someone pressed "Aide": staff should come. Refers to the visit by a pseudonym only."""

    __tablename__ = "help_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    session_ref: Mapped[str] = mapped_column(String(16))
    screen: Mapped[str] = mapped_column(String(100), default="")
    # "help" (the Aide button) or "bp_alert" (a reading of 180/110 or more).
    kind: Mapped[str] = mapped_column(String(20), default="help", server_default="help")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The staff member who said "J'arrive" (an account reference, never a name), and when.
    taken_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Patient(Base):
    """A person who books. The NIR and the phone number are stored encrypted (kiosk.security.vault).

    ``pseudonym`` is what logs and the audit journal refer to, never the name or the NIR.
    """

    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    surname: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    # "F" or "M" when the NIR tells it; the kiosk never asks.
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    nir_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    phone_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(10), default="typed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


APPOINTMENT_STATUSES = ("booked", "checked-in", "arrived", "fulfilled", "cancelled", "noshow")


class Appointment(Base):
    """A booked teleconsultation. Statuses follow FHIR R4 Appointment.status.

    A slot holds at most one appointment that is not cancelled: the partial unique index is
    what prevents double booking, whatever the application does (SECURITY.md item 13).
    """

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint(
            "status IN ('booked', 'checked-in', 'arrived', 'fulfilled', 'cancelled', 'noshow')",
            name="status",
        ),
        Index(
            "uq_appointment_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    status: Mapped[str] = mapped_column(String(20), default="booked")
    # The reason and the answers for the doctor, as encrypted JSON (security.vault): health data.
    clinical_token: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Goes up by one at every change, whoever makes it (see _next_version): the FHIR API's
    # meta.versionId and ETag, so a client's If-Match refuses to overwrite a newer state.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # What the ticket's QR code and the .ics carry instead of the code: 128 random bits or more
    # (SECURITY.md item 24). Scanning it proves the ticket is in hand, no more.
    # Nullable in the schema only because SQLite cannot add a NOT NULL column to a table others
    # point at without copying it (migration 0009 fills every row; new rows always get one).
    ticket_token: Mapped[str] = mapped_column(String(64), index=True, unique=True, nullable=True,
                                              default=new_ticket_token)
    slot: Mapped[Slot] = relationship()
    patient: Mapped[Patient] = relationship()


@event.listens_for(Appointment, "before_update")
def _next_version(_mapper: Any, _connection: Any, target: Appointment) -> None:
    # Every path that changes an appointment (the kiosk's check-in, the doctor's marks, a
    # move, a cancellation, the API) flushes through here. "version + 1" is computed by the
    # database, so two writers can never both write the same next number.
    session = object_session(target)
    if session is not None and session.is_modified(target, include_collections=False):
        target.version = Appointment.version + 1  # type: ignore[assignment]


class AvailabilityException(Base):
    """A change to the weekly pattern on one local day: time off, or extra opening hours.

    No minutes means the whole day. Slot generation applies these over the weekly pattern.
    """

    __tablename__ = "availability_exception"
    __table_args__ = (
        CheckConstraint("kind IN ('off', 'extra')", name="kind"),
        CheckConstraint(
            "(start_minute IS NULL AND end_minute IS NULL) OR "
            "(start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440)",
            name="minutes",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    start_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ApiToken(Base):
    """A bearer token for the FHIR API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint("role IN ('staff', 'doctor')", name="role"),
        # Only a doctor's token is bound to a practitioner (SECURITY.md item 26). A doctor's
        # token without one (made before tokens were bound) is refused by the API.
        CheckConstraint("role = 'doctor' OR practitioner_id IS NULL", name="practitioner"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="SET NULL"), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Measurement(Base):
    """A blood-pressure result (the average of its readings), encrypted: health data.

    It belongs to the visit (``session_ref``) and is deleted with it, unless it was attached
    to an appointment for the doctor; those are purged after the retention period.
    """

    __tablename__ = "measurement"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_ref: Mapped[str] = mapped_column(String(16), index=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), nullable=True, index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # JSON {"systolic", "diastolic", "pulse", "readings": [[s, d, p], ...]}, encrypted.
    values_token: Mapped[str] = mapped_column(Text)
    # Set when the reading came through the API with an Idempotency-Key: a retried POST
    # finds it instead of storing the reading twice.
    idempotency_key: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, nullable=True)


class ConsultNote(Base):
    """What the doctor wrote after a consultation, printed at the kiosk: health data, encrypted.

    ``reference`` is printed large with its QR code, so a pharmacist can tell which
    consultation a ticket comes from. It goes with its appointment (cascade) when that is purged.
    """

    __tablename__ = "consult_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), unique=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # JSON {"summary": ..., "prescription": ...}, encrypted (kiosk.security.vault).
    text_token: Mapped[str] = mapped_column(Text)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


CONSENT_STATES = ("offered", "accepted", "refused", "ended")


class Consent(Base):
    """Assisted mode, on the model of Aidants Connect's mandates: a staff member offers help,
    the person at the kiosk says yes or no. Who (the account), whom (the visit's pseudonym),
    when, for what (scope); it ends with the visit."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint("state IN ('offered', 'accepted', 'refused', 'ended')", name="state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_ref: Mapped[str] = mapped_column(String(16), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), nullable=True)
    # What the kiosk says and shows: a first name and a job title, never a surname.
    helper_name: Mapped[str] = mapped_column(String(100))
    helper_title: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(10), default="offered")
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditPurgeFloor(Base):
    """One row: journal entries older than ``floor`` may be deleted, no others (security.audit).

    Database triggers enforce it and let the floor move forward only."""

    __tablename__ = "audit_purge_floor"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    floor: Mapped[datetime] = mapped_column(UTCDateTime())


SIGNAL_KINDS = ("ring", "ready", "offer", "answer", "candidate", "bye", "chat")


class SignalMessage(Base):
    """One message between the kiosk and the doctor during a video call: WebRTC signalling,
    or a chat line (health data: its text encrypted, never logged). Each side reads
    "everything after id N", so ids only grow (AUTOINCREMENT on SQLite, a sequence on
    PostgreSQL). Rows go when the call ends, and ``kiosk purge`` removes any left behind."""

    __tablename__ = "signal_message"
    __table_args__ = (
        CheckConstraint("sender IN ('kiosk', 'doctor')", name="sender"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
