"""The four device interfaces the rest of the kiosk programs against.

Each real driver (``suntech``, ``pcsc``, ``printer``, ``scanner``) satisfies one of
them; tests and the app may supply their own fakes. Nothing here opens a port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from peripherals.models import (
    BloodPressureReading,
    CardContents,
    PrinterStatus,
    Ticket,
)

PressureCallback = Callable[[int], None]


@runtime_checkable
class Device(Protocol):
    """Anything the manager can open and close."""

    def open(self) -> None:
        """Open the port or reader; raise DeviceUnavailable if it is not there."""

    def close(self) -> None:
        """Release the port or reader; never raises."""


@runtime_checkable
class BloodPressureMonitor(Device, Protocol):
    """An automatic cuff that measures on request."""

    def probe(self) -> str:
        """Ask the module who it is; raise DeviceTimeout if it stays silent."""

    def measure(
        self,
        on_pressure: PressureCallback | None = None,
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> BloodPressureReading:
        """Run one measurement, calling ``on_pressure`` with the live cuff pressure.

        ``deadline`` is in seconds from now; ``cancel`` stops the measurement. The
        cuff is always told to deflate before this returns or raises.
        """

    def abort(self) -> None:
        """Tell the cuff to deflate now."""


@runtime_checkable
class CardReader(Device, Protocol):
    """A smart-card reader holding (or not) a health card."""

    @property
    def reader_name(self) -> str:
        """Name of the reader in use (resolved when it was opened)."""

    def card_present(self) -> bool:
        """True when a card is in the reader."""

    def read(self) -> CardContents:
        """Read every beneficiary from the card in the reader."""


@runtime_checkable
class TicketPrinter(Device, Protocol):
    """A receipt printer."""

    def status(self) -> PrinterStatus:
        """Ask the printer how it is; silence gives an "unknown" status."""

    def print_ticket(self, ticket: Ticket) -> PrinterStatus:
        """Print a ticket; return the status read just before printing."""


@runtime_checkable
class CodeScanner(Device, Protocol):
    """A QR or barcode scanner that sends each code as a line of text."""

    def read_code(self, timeout: float) -> str | None:
        """Return the next scanned code, or None if none came within ``timeout`` s."""
