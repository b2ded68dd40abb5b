"""The booking in progress, kept in the server-side session until it is confirmed.

Nothing here outlives the visit: ending the session deletes it. While it lasts, the whole draft
(what is typed key by key, the identity, the reason, the answers) is stored sealed with the
field key by the session store (``kiosk.security.sessions.seal``), never in clear in the row.
The identity's NIR and phone are encrypted once more here, so the draft can be handed around
without them in clear.
"""

from __future__ import annotations

import secrets
from datetime import date

from kiosk.booking.service import Clinical, Identity
from kiosk.security.vault import get_vault
from kiosk.visit import state as visit_state
from kiosk.visit.state import BookingDraft


def draft() -> BookingDraft:
    """A copy of this visit's booking draft (created empty on first use); ``save`` keeps it."""
    return visit_state.booking_draft()


def save(state: BookingDraft) -> None:
    """Store the draft back."""
    visit_state.save_booking(state)


def set_typed(field: str, value: str) -> None:
    """Keep what the person typed, so a wrong entry never loses it."""
    state = draft()
    state.typed = {**state.typed, field: value}
    save(state)


def typed(field: str) -> str:
    return str(draft().typed.get(field, ""))


def set_identity(identity: Identity) -> None:
    """The person is identified (not yet confirmed)."""
    vault = get_vault()
    state = draft()
    state.identity = {
        "surname": identity.surname,
        "first_name": identity.first_name,
        "birth_date": identity.birth_date.isoformat(),
        "sex": identity.sex,
        "source": identity.source,
        "nir": vault.encrypt(identity.nir) if identity.nir else None,
        "phone": vault.encrypt(identity.phone) if identity.phone else None,
    }
    state.identity_confirmed = False
    save(state)


def identity() -> Identity | None:
    """Who is booking, if known."""
    data = draft().identity
    if not data:
        return None
    vault = get_vault()
    return Identity(
        surname=data["surname"],
        first_name=data["first_name"],
        birth_date=date.fromisoformat(data["birth_date"]),
        sex=data.get("sex"),
        source=data.get("source", "typed"),
        nir=vault.decrypt(nir) if (nir := data.get("nir")) else None,
        phone=vault.decrypt(phone) if (phone := data.get("phone")) else None,
    )


def forget_identity() -> None:
    """"Non, ce n'est pas moi": who is booking is unknown again."""
    state = draft()
    state.identity = None
    state.identity_confirmed = False
    save(state)


def confirm_identity() -> None:
    """The person said "Oui, c'est moi" (or touched their own name on the card's list)."""
    state = draft()
    state.identity_confirmed = True
    save(state)


def typed_from_card(yes: bool) -> None:
    """The fields being typed came from a card that lacks a date: it is still a card."""
    state = draft()
    state.typed_from_card = yes
    save(state)


def came_with_card() -> bool:
    """Whether the person identified with their Carte Vitale (then the words speak of it),
    or said they have none (then they never hear of it)."""
    data = draft().identity
    return data is not None and data.get("source") == "card"


def confirmed_identity() -> Identity | None:
    """The identity, only once the person said "Oui, c'est moi"."""
    return identity() if draft().identity_confirmed else None


def clinical() -> Clinical | None:
    """The reason and the answers given so far."""
    state = draft()
    if not state.reason:
        return None
    return Clinical(state.reason, dict(state.answers))


def idempotency_key() -> str:
    """One key per attempt to confirm; a retry of the same attempt reuses it."""
    state = draft()
    if not state.idempotency_key:
        state.idempotency_key = secrets.token_urlsafe(24)
        save(state)
    return state.idempotency_key


def forget_attempt() -> None:
    """After a refusal (slot taken), the next confirmation is a new attempt."""
    state = draft()
    state.idempotency_key = None
    save(state)


def several_on_card() -> bool:
    """The card read holds several people (a family): "Qui vient voir le médecin ?"."""
    return len(draft().card or []) > 1
