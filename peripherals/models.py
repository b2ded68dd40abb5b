"""Frozen dataclasses the devices return: readings, card holders, statuses, events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from peripherals.suntech_codes import error_key


@dataclass(frozen=True, slots=True)
class BloodPressureReading:
    """One blood-pressure measurement, in mmHg and beats per minute.

    ``error`` is the module's error code (0 when the reading is valid); the driver
    raises :class:`~peripherals.errors.MeasurementError` rather than returning a
    reading with a non-zero code.
    """

    systolic: int
    diastolic: int
    mean: int
    pulse: int
    error: int
    taken_at: dt.datetime
    # What the cuff noticed while measuring. A cuff that does not report these says False:
    # the SunTech module's BP status byte is not documented (DEVICES.md), BLE cuffs say it.
    irregular_pulse: bool = False
    movement: bool = False

    @property
    def error_key(self) -> str | None:
        """Stable key of the error code, or None when the reading is valid."""
        return None if self.error == 0 else error_key(self.error)

    def summary(self) -> str:
        """Plain text as staff read it: ``115/74 mmHg, pouls 85, moyenne 88``."""
        return f"{self.systolic}/{self.diastolic} mmHg, pouls {self.pulse}, moyenne {self.mean}"


# Personal data is kept out of repr() so that logging a holder by mistake does
# not write a name or a social security number into the logs.
@dataclass(frozen=True, slots=True)
class CardHolder:
    """One beneficiary read from a Carte Vitale.

    ``birth_date`` is None when the card holds a date that is not a calendar date
    (some people born abroad have day or month ``00``). ``nir`` is the 15-character
    social security number, its key already checked.
    """

    surname: str = field(repr=False)
    first_name: str = field(repr=False)
    birth_date: dt.date | None = field(repr=False)
    nir: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CardContents:
    """Everything read from one card: one or more beneficiaries (parents, children)."""

    beneficiaries: tuple[CardHolder, ...]


CardEventKind = Literal["inserted", "removed"]


@dataclass(frozen=True, slots=True)
class CardEvent:
    """A card went in or out of the reader."""

    kind: CardEventKind
    reader: str
    at: dt.datetime


PaperState = Literal["ok", "low", "out", "unknown"]


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said about itself.

    ``online`` and ``paper`` are None/"unknown" when the printer did not answer:
    silence is never taken as "ok".
    """

    online: bool | None
    paper: PaperState
    # Asked only of an offline printer (why it is offline); None when not asked or no reply.
    cover_open: bool | None = None

    @property
    def state(self) -> Literal["ok", "paper_low", "out_of_paper", "offline", "unknown"]:
        """One word for the staff page; "ok" only when the printer said so."""
        # Printers go offline when the roll ends: name the cause staff can fix.
        if self.paper == "out":
            return "out_of_paper"
        if self.online is False:
            return "offline"
        if self.online is None or self.paper == "unknown":
            return "unknown"
        return "paper_low" if self.paper == "low" else "ok"

    @property
    def ok(self) -> bool:
        """True only when the printer answered that it is online with paper."""
        return self.state in ("ok", "paper_low")


UNKNOWN_PRINTER_STATUS = PrinterStatus(online=None, paper="unknown")


@dataclass(frozen=True, slots=True)
class Ticket:
    """What goes on a printed ticket; the caller writes the date and time in words."""

    site: str
    when: str
    code: str
    qr_payload: str
    lines: tuple[str, ...] = ()


HealthState = Literal["ok", "unavailable", "unknown", "not_configured"]


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    """Health of one device as the manager last saw it.

    ``error`` is a plain-French sentence (None when all is well); ``since`` is when
    the device entered this state.
    """

    kind: str
    state: HealthState
    error: str | None
    since: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for /healthz and the staff page."""
        return {
            "state": self.state,
            "error": self.error,
            "since": self.since.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class SelfTestResult:
    """Outcome of a device self-test, with a summary that has no personal data."""

    kind: str
    ok: bool
    summary: str
    reading: BloodPressureReading | None = None
