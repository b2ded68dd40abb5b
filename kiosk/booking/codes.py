"""Booking reference codes: six characters a person can read aloud and type on a keypad.

No O/0, I/1 or L, which are confused when read or heard.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
# What a ticket's QR code and the .ics link hold since SECURITY.md item 24: a random token
# (core.records.new_ticket_token), never a code. Its shape alone tells it from a code.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")


def new_code() -> str:
    """A random code; its uniqueness is enforced by the database."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str) -> str | None:
    """The code a person meant, or None if it cannot be one.

    Spaces and dashes are dropped and letters upper-cased; a character outside the alphabet
    (such as O or 1) means it is not a code of ours.
    """
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def is_ticket_token(text: str) -> bool:
    """Whether ``text`` has the shape of a ticket's token (not whether one exists)."""
    return TOKEN_SHAPE.fullmatch(text) is not None
