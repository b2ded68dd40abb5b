"""What a person can mean by an answer: the :class:`Intent` the matcher returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["yes", "no", "choice", "command", "time", "date", "code", "unknown"]


@dataclass(frozen=True)
class Intent:
    """What the person meant. ``index`` is 0-based; ``hour``/``minute`` as said (0-23);
    a date has a ``year`` only when the step asked for one (a date of birth)."""

    kind: Kind
    index: int | None = None
    name: str | None = None
    hour: int | None = None
    minute: int | None = None
    day: int | None = None
    month: int | None = None
    code: str | None = None
    year: int | None = None


YES = Intent("yes")
NO = Intent("no")
UNKNOWN = Intent("unknown")


def choice(index: int) -> Intent:
    """The choice at 0-based ``index``."""
    return Intent("choice", index=index)


def command(name: str) -> Intent:
    """A command: help, repeat, back, cancel, louder, quieter, slower, faster."""
    return Intent("command", name=name)


def time(hour: int, minute: int) -> Intent:
    """A clock time."""
    return Intent("time", hour=hour, minute=minute)


def date(day: int, month: int, year: int | None = None) -> Intent:
    """A day of the year (with its year for a date of birth)."""
    return Intent("date", day=day, month=month, year=year)


def code(value: str) -> Intent:
    """A code spelled out, upper case."""
    return Intent("code", code=value)
