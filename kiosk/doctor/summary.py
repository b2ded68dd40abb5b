"""What the doctor writes after the call, and its ticket at the kiosk.

The doctor writes a short summary and, if needed, a prescription text on the appointment page.
The kiosk's end screen reads it back (``written``) and prints it (``print_written``) with a
reference in large type and as a QR code. The text is health data: encrypted at rest, never
logged, and gone with its appointment when that is purged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from kiosk.booking.codes import new_code
from kiosk.booking.words import moment_words
from kiosk.core.db import Database, get_db
from kiosk.core.records import Appointment, AuditEvent, ConsultNote, Slot, utcnow
from kiosk.core.site import site_name
from kiosk.devices.printing import PrintOutcome, print_ticket
from kiosk.doctor.day import NotFound, own_appointment
from kiosk.security.vault import Vault
from peripherals.models import Ticket

log = logging.getLogger(__name__)

# Long enough for a few sentences and a prescription; a ticket is not a letter.
MAX_SUMMARY = 1500
MAX_PRESCRIPTION = 1500
REFERENCE_ATTEMPTS = 5


class NothingWritten(ValueError):
    """Both the summary and the prescription are empty."""


@dataclass(frozen=True)
class Written:
    """The doctor's words for the patient, decrypted."""

    appointment_id: int
    reference: str
    summary: str
    prescription: str
    doctor: str
    written_at: datetime
    consulted_at: datetime  # the appointment's time: the date the paper carries


def _clean(text: str, limit: int) -> str:
    """Trimmed, with Windows line ends made plain and no control characters but newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable())
    return text.strip()[:limit]


def save(
    database: Database, vault: Vault, appointment_id: int, practitioner_id: int,
    summary: str, prescription: str, actor: str, now: datetime,
) -> str:
    """Store (or replace) what the doctor wrote; returns the note's reference. Audited.

    Only the appointment's own doctor may write it. Writing again replaces the text and keeps
    the reference, so a ticket already printed still points to this consultation.
    """
    summary = _clean(summary, MAX_SUMMARY)
    prescription = _clean(prescription, MAX_PRESCRIPTION)
    if not summary and not prescription:
        raise NothingWritten()
    token = vault.encrypt(json.dumps({"summary": summary, "prescription": prescription},
                                     ensure_ascii=False))
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with database.write() as db:
                appointment = own_appointment(db, appointment_id, practitioner_id)
                note = db.scalar(select(ConsultNote).where(
                    ConsultNote.appointment_id == appointment.id))
                if note is None:
                    note = ConsultNote(appointment_id=appointment.id, reference=new_code())
                    db.add(note)
                note.text_token = token
                note.written_at = now
                note.printed_at = None
                db.add(AuditEvent(at=now, actor=actor, action="doctor.wrote_summary",
                                  subject_ref=appointment.patient.pseudonym))
                return note.reference
        except IntegrityError:
            continue  # the random reference was taken: draw another
    raise RuntimeError("no free reference for the consultation note")


def written(database: Database, vault: Vault, appointment_id: int) -> Written | None:
    """What the doctor wrote for this appointment, or None if nothing yet."""
    with database.read() as db:
        row = db.execute(
            select(ConsultNote, Appointment)
            .join(Appointment, ConsultNote.appointment_id == Appointment.id)
            .where(ConsultNote.appointment_id == appointment_id)
            .options(joinedload(Appointment.slot).joinedload(Slot.practitioner))
        ).first()
    if row is None:
        return None
    note, appointment = row
    text = json.loads(vault.decrypt(note.text_token))
    practitioner = appointment.slot.practitioner
    return Written(
        appointment_id=appointment_id,
        reference=note.reference,
        summary=text["summary"],
        prescription=text["prescription"],
        doctor=f"{practitioner.first_name} {practitioner.surname}",
        written_at=note.written_at,
        consulted_at=appointment.slot.starts_at,
    )


def ticket_for(written: Written, site: str, when: str) -> Ticket:
    """The ticket's layout: the doctor, the date, the reference large, then the text."""
    lines = [_("Consultation avec le docteur %(name)s", name=written.doctor)]
    if written.summary:
        lines += ["", _("Ce que dit le médecin :"), written.summary]
    if written.prescription:
        lines += ["", _("Ordonnance :"), written.prescription]
    lines += ["", _("Référence : %(ref)s", ref=written.reference)]
    return Ticket(site=site, when=when, code=written.reference, qr_payload=written.reference,
                  lines=tuple(lines))


def print_written(written: Written) -> PrintOutcome:
    """Print the note on the kiosk printer (inside the app context); the note is marked
    printed only when the printer said it was ready (kiosk.devices.printing)."""
    # A prescription is kept and shown later: the full date, with its year.
    ticket = ticket_for(written, site_name(), moment_words(written.consulted_at, year=True))
    outcome = print_ticket(ticket)
    if not outcome.printed:
        return outcome
    with get_db().write() as db:
        note = db.scalar(select(ConsultNote).where(
            ConsultNote.appointment_id == written.appointment_id))
        if note is not None:
            note.printed_at = utcnow()
    return outcome


__all__ = ["NotFound", "NothingWritten", "Written", "print_written", "save", "ticket_for",
           "written"]
