"""What a token reaches (SECURITY.md item 26): clauses that every read and search applies.

- A **doctor** token is bound to one practitioner. It reaches that doctor's appointments (any
  status), the patients who have one of them, and the readings attached to one of them.
  Anything else answers 404, as if it did not exist.
- A **staff** token reaches every appointment and patient of the server (records gain a site
  with the central server, and staff tokens a site with them), never a NIR nor a reason for a
  visit (those are left out of what it gets), and no reading at all (403).
- Slots, schedules and practitioners are what any scheduler shows: every token sees them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, select, true

from kiosk.core.records import Appointment, Measurement, Patient, Slot
from kiosk.fhir.auth import caller


def _doctor() -> int | None:
    """The practitioner id the caller is bound to, or None for a staff token."""
    token = caller()
    return token.practitioner_id if token.role == "doctor" else None


def _doctors_appointments(practitioner_id: int) -> Select[int]:
    return select(Appointment.id).join(Slot, Appointment.slot_id == Slot.id).where(
        Slot.practitioner_id == practitioner_id
    )


def appointments() -> ColumnElement[bool]:
    """The appointments this caller reaches."""
    practitioner_id = _doctor()
    if practitioner_id is None:
        return true()
    return Appointment.id.in_(_doctors_appointments(practitioner_id))


def patients() -> ColumnElement[bool]:
    """The patients this caller reaches."""
    practitioner_id = _doctor()
    if practitioner_id is None:
        return true()
    return Patient.id.in_(
        select(Appointment.patient_id).where(
            Appointment.id.in_(_doctors_appointments(practitioner_id))
        )
    )


def readings() -> ColumnElement[bool]:
    """The blood-pressure readings this caller reaches: only those kept for an appointment
    (a reading of a visit without one is the visit's, and goes with it)."""
    attached = Measurement.appointment_id.is_not(None)
    practitioner_id = _doctor()
    if practitioner_id is None:
        return attached
    return and_(attached, Measurement.appointment_id.in_(_doctors_appointments(practitioner_id)))
