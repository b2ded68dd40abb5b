"""Assisted mode, on the model of Aidants Connect's mandates (issue 8).

A staff member presses "Aider" on a live visit: that creates an *offer* (a ``Consent`` row in
state "offered"). The kiosk's screens poll for it; the person sees and hears "Acceptez-vous que
Sophie, pharmacienne, vous aide ?" and answers Oui or Non. Only a yes lets the staff member act:
from then on a banner "Avec l'aide de Sophie" stays on every screen, and what is done at the
kiosk is journaled with the real actor ("account:<id> for visit:<ref>"). The consent ends with
the visit (an end hook of kiosk.security.sessions). Only pseudonyms: the visit's ref, the
account's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from kiosk.core.db import Database, changed_rows
from kiosk.core.records import Account, Consent, KioskSession
from kiosk.security.audit import record
from kiosk.security.sessions import KioskServerSession, unseal
from kiosk.security.vault import Vault, VaultError, get_vault
from kiosk.visit import state as visit_state

# What a staff member may do for the person once they said yes.
SCOPE = "book,measure,check-in"
PORTAL_KEYS = ("doctor_id", "staff_id")
OPEN_STATES = ("offered", "accepted")


class AlreadyOffered(Exception):
    """This visit already has an offer waiting or an accepted helper."""


def first_name(account: Account) -> str:
    return (account.display_name.split() or [account.username])[0]


def title_of(account: Account) -> str:
    """The job title the person hears: the account's own, or one said from its role."""
    if account.job_title:
        return account.job_title
    return {
        "pharmacist": _("pharmacien"),
        "agent": _("agent d'accueil"),
        "admin": _("responsable de la borne"),
    }.get(account.role, account.role)


def visit_actor(visit: KioskServerSession) -> str:
    """Who the journal says did what the kiosk just did: the person, or their helper."""
    helper = visit_state.load(visit).assist
    if isinstance(helper, dict) and helper.get("consent"):
        # The account's id, as everywhere in the journal: never a login name. (An account
        # deleted meanwhile: the consent row still says who it was.)
        who = f"account:{helper['account']}" if isinstance(helper.get("account"), int) \
            else f"consent:{helper['consent']}"
        return f"{who} for visit:{visit.ref}"
    return f"session:{visit.ref}"


def offer(database: Database, account: Account, visit_ref: str, now: datetime,
          vault: Vault | None = None) -> Consent:
    """Offer help to a live visit; refused if one is already waiting or accepted. ``vault``:
    the field key, when called outside a request (else the app's)."""
    if visit_ref not in {visit.ref for visit in live_visits(database, vault)}:
        raise LookupError(visit_ref)  # no such visit at a kiosk (a portal sign-in is not one)
    with database.write() as db:
        open_one = db.scalar(select(Consent.id).where(
            Consent.visit_ref == visit_ref, Consent.state.in_(OPEN_STATES)))
        if open_one is not None:
            raise AlreadyOffered(visit_ref)
        consent = Consent(visit_ref=visit_ref, account_id=account.id,
                          helper_name=first_name(account)[:100],
                          helper_title=title_of(account)[:100], scope=SCOPE, state="offered",
                          offered_at=now)
        db.add(consent)
        record(db, actor=f"account:{account.id}", action="assist.offered",
               subject_ref=f"visit:{visit_ref}", now=now)
    return consent


def pending(database: Database, visit_ref: str) -> Consent | None:
    """The offer waiting for this visit's answer, if any."""
    with database.read() as db:
        return db.scalar(select(Consent).where(
            Consent.visit_ref == visit_ref, Consent.state == "offered"))


def answer(database: Database, consent_id: int, visit_ref: str, yes: bool,
           now: datetime) -> Consent | None:
    """Record the person's answer; returns the consent, or None if it was not open."""
    with database.write() as db:
        consent = db.get(Consent, consent_id)
        if consent is None or consent.visit_ref != visit_ref or consent.state != "offered":
            return None
        consent.state = "accepted" if yes else "refused"
        consent.answered_at = now
        if not yes:
            consent.ended_at = now
        record(db, actor=f"session:{visit_ref}",
               action="assist.accepted" if yes else "assist.refused",
               subject_ref=f"visit:{visit_ref}", now=now)
        return consent


def end_consent(database: Database, visit_ref: str, actor: str, now: datetime) -> int:
    """End every open offer or consent of the visit, as ``actor``. Returns how many."""
    with database.write() as db:
        ended = changed_rows(db, update(Consent)
                             .where(Consent.visit_ref == visit_ref,
                                    Consent.state.in_(OPEN_STATES))
                             .values(state="ended", ended_at=now))
        if ended:
            record(db, actor=actor, action="assist.ended", subject_ref=f"visit:{visit_ref}",
                   now=now)
    return ended


def end_for_visit(database: Database, visit_ref: str, now: datetime) -> int:
    """The visit ended: every open offer or consent of it ends too."""
    return end_consent(database, visit_ref, "system:session", now)


def still_accepted(database: Database, consent_id: int) -> bool:
    with database.read() as db:
        return db.scalar(select(Consent.state).where(Consent.id == consent_id)) == "accepted"


@dataclass(frozen=True)
class LiveVisit:
    """A visit in progress at a kiosk, as the staff page shows it: a pseudonym and a screen."""

    ref: str
    screen: str
    last_seen_at: datetime
    consent: str  # "", "offered" or "accepted"
    helper: str


def live_visits(database: Database, vault: Vault | None = None) -> list[LiveVisit]:
    """Visits holding something of a person (not portal sign-ins), most recent first.
    ``vault``: the field key that opens their sealed part (default: the app's)."""
    vault = vault or get_vault()
    with database.read() as db:
        rows = list(db.scalars(select(KioskSession).order_by(KioskSession.last_seen_at.desc())))
        consents = {c.visit_ref: c for c in db.scalars(
            select(Consent).where(Consent.state.in_(OPEN_STATES)))}
    visits = []
    for row in rows:
        data = row.data if isinstance(row.data, dict) else {}
        try:
            data = unseal(data, vault)  # the screen's path is sealed with the rest
        except (VaultError, ValueError):
            continue  # no key opens it: the visit is lost anyway
        stored = visit_state.load(data)
        if any(data.get(key) for key in PORTAL_KEYS) or not stored.journey:
            continue
        ref = row.id_hash[:12]
        consent = consents.get(ref)
        visits.append(LiveVisit(ref, str(stored.screen or "/")[:100], row.last_seen_at,
                                consent.state if consent else "",
                                consent.helper_name if consent else ""))
    return visits
