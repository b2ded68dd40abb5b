"""The one printing service: print a ticket, get a typed outcome with its plain sentence.

The booking ticket, the blood-pressure result and the doctor's summary all print through
:func:`print_ticket`. Silence from the printer is never taken as success (DEVICES.md §5), and
no screen waits longer than the ``print_timeout_seconds`` setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from flask import current_app
from flask_babel import lazy_gettext as _l

from kiosk.devices.service import manager
from peripherals.errors import (
    CoverOpen,
    DeviceTimeout,
    OutOfPaper,
    PeripheralError,
    PrinterOffline,
)
from peripherals.models import Ticket

log = logging.getLogger(__name__)

Kind = Literal["printed", "no_paper", "cover_open", "offline", "timeout", "unknown"]

SENTENCES = {
    "printed": _l("Prenez votre ticket."),
    "no_paper": _l("L'imprimante n'a plus de papier."),
    "cover_open": _l("Le capot de l'imprimante est ouvert."),
    "offline": _l("L'imprimante ne marche pas."),
    "timeout": _l("L'imprimante ne répond pas."),
    # It printed maybe: the printer cannot say, so the screen shows everything too.
    "unknown": _l("L'imprimante ne dit pas si le ticket est sorti."),
}


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a ticket: ``kind``, and the plain sentence for the person."""

    kind: Kind

    @property
    def printed(self) -> bool:
        """True only when the printer said it was ready (online, paper in)."""
        return self.kind == "printed"

    @property
    def sentence(self) -> str:
        return str(SENTENCES[self.kind])


def timeout() -> float:
    """How long a print may take (setting ``print_timeout_seconds``)."""
    return float(current_app.config["KIOSK"]["print_timeout_seconds"])


def _known_cause(error: PeripheralError) -> Kind:
    """Why a printer the manager holds as down is down, as its worker last heard it (the
    error carries the printer's own sentence): the paper or the cover, else offline."""
    said = getattr(error, "user_message", None)
    if said == OutOfPaper.user_message:
        return "no_paper"
    if said == CoverOpen.user_message:
        return "cover_open"
    return "offline"


def print_ticket(ticket: Ticket) -> PrintOutcome:
    """Print ``ticket`` on the kiosk printer (inside the app context); never raises."""
    devices = manager()
    if devices is None:
        return PrintOutcome("offline")
    try:
        status = devices.print_ticket(ticket, timeout=timeout())
    except DeviceTimeout:
        outcome = PrintOutcome("timeout")
    except OutOfPaper:
        outcome = PrintOutcome("no_paper")
    except CoverOpen:
        outcome = PrintOutcome("cover_open")
    except PrinterOffline:
        outcome = PrintOutcome("offline")
    except PeripheralError as error:
        outcome = PrintOutcome(_known_cause(error))
    else:
        return PrintOutcome("printed" if status.state in ("ok", "paper_low") else "unknown")
    log.warning("ticket not printed: %s", outcome.kind)
    return outcome


def print_booking_ticket(*, code: str, token: str, when_words: str, site: str,
                         lines: tuple[str, ...] = ()) -> Kind:
    """Print the booking ticket: the code written, the ticket's token (never the code) in the
    QR code (SECURITY.md item 24); returns the outcome's kind.

    ``when_words`` is written for paper ("Jeudi 3 décembre à 8 h 30 …", never "Demain").
    """
    ticket = Ticket(site=site, when=when_words, code=code, qr_payload=token, lines=lines)
    return print_ticket(ticket).kind
