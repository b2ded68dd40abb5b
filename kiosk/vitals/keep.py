"""Keeping a blood-pressure result, wherever it was taken (the vitals screens, or the call's
side panel): stored encrypted, journaled as measured by whoever really did it (the person, or
the staff member helping them), and the staff called at once for a grade 3 reading."""

from __future__ import annotations

from kiosk.core.db import get_db
from kiosk.core.records import HelpRequest, utcnow
from kiosk.security.audit import record
from kiosk.security.sessions import KioskServerSession
from kiosk.security.vault import get_vault
from kiosk.visit.assist import visit_actor
from kiosk.vitals import measurements
from kiosk.vitals.classify import assess


def keep(visit: KioskServerSession, result: measurements.Result, appointment_id: int | None,
         screen: str) -> int:
    """Store ``visit``'s result (attached to ``appointment_id`` if any); returns its id.

    At 180/110 or more, a help request (``bp_alert``) from ``screen`` calls the pharmacist.
    """
    now = utcnow()
    result_id = measurements.save(get_db(), get_vault(), session_ref=visit.ref, result=result,
                                  appointment_id=appointment_id, taken_at=now)
    with get_db().write() as db:  # who measured (the person, or their helper); no values
        record(db, actor=visit_actor(visit), action="measurement.taken",
               subject_ref=f"visit:{visit.ref}", now=now)
        if assess(result.systolic, result.diastolic).alert:
            db.add(HelpRequest(created_at=now, session_ref=visit.ref, screen=screen,
                               kind="bp_alert"))
    return result_id
