"""Booking reference codes: six characters a person can read aloud and type on a keypad.

No O/0, I/1 or L, which are confused when read or heard.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


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
