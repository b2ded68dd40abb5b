"""ESC/POS ticket printer over any pyserial URL, with honest status.

Status comes from DLE EOT 1 (printer), DLE EOT 2 (why it is offline: the cover) and
DLE EOT 4 (paper roll). A printer that
does not answer gets status "unknown" — python-escpos 3.1 would say "paper OK"
(DEVICES.md §5), which is how a kiosk prints into the void for a week.
"""

from __future__ import annotations

import time

from peripherals import serial_port
from peripherals.errors import CoverOpen, DeviceUnavailable, OutOfPaper, PrinterOffline
from peripherals.models import UNKNOWN_PRINTER_STATUS, PaperState, PrinterStatus, Ticket
from peripherals.ticket import PROFILE, render

ASK_PRINTER = b"\x10\x04\x01"
ASK_CAUSE = b"\x10\x04\x02"
ASK_PAPER = b"\x10\x04\x04"


def is_status_byte(value: int) -> bool:
    """True for a real DLE EOT reply: bits 1 and 4 set, bits 0 and 7 clear."""
    return value & 0x93 == 0x12


def decode_online(value: int | None) -> bool | None:
    """Online flag from a DLE EOT 1 reply (bit 3 set = offline); None if no valid reply."""
    if value is None or not is_status_byte(value):
        return None
    return not value & 0x08


def decode_cover_open(value: int | None) -> bool | None:
    """Cover flag from a DLE EOT 2 reply (bit 2 set = cover open); None if no valid reply."""
    if value is None or not is_status_byte(value):
        return None
    return bool(value & 0x04)


def decode_paper(value: int | None) -> PaperState:
    """Paper state from a DLE EOT 4 reply: bits 5-6 out, bits 2-3 near the end."""
    if value is None or not is_status_byte(value):
        return "unknown"
    if value & 0x60:
        return "out"
    if value & 0x0C:
        return "low"
    return "ok"


class SerialTicketPrinter:
    """An ESC/POS printer at ``url`` (a tty, a pty or ``socket://``)."""

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 9600,
        status_timeout: float = 0.5,
        profile: str = PROFILE,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.status_timeout = status_timeout
        self.profile = profile
        self._port: serial_port.SerialLink | None = None

    def open(self) -> None:
        """Open the URL; DeviceUnavailable if it is missing or busy."""
        if self._port is None:
            self._port = serial_port.open_serial(self.url, baudrate=self.baudrate)

    def close(self) -> None:
        """Close the port; never raises."""
        port, self._port = self._port, None
        serial_port.close_quietly(port)

    def __enter__(self) -> SerialTicketPrinter:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _live_port(self) -> serial_port.SerialLink:
        if self._port is None:
            raise DeviceUnavailable(f"printer {self.url} is not open")
        return self._port

    def _ask(self, query: bytes) -> int | None:
        port = self._live_port()
        try:
            serial_port.discard_input(port)
            serial_port.write_all(port, query)
            until = time.monotonic() + self.status_timeout
            while time.monotonic() < until:
                for value in serial_port.read_some(port):
                    if is_status_byte(value):
                        return value
        except DeviceUnavailable:
            self.close()
            raise
        return None

    def status(self) -> PrinterStatus:
        """Ask the printer for its state and paper; silence gives "unknown", never "ok"."""
        online_byte = self._ask(ASK_PRINTER)
        if online_byte is None:
            # No point waiting a second time for a printer that does not answer.
            return UNKNOWN_PRINTER_STATUS
        online = decode_online(online_byte)
        # Only an offline printer is asked why: the cover is the cause a person can fix.
        cover_open = decode_cover_open(self._ask(ASK_CAUSE)) if online is False else None
        paper = decode_paper(self._ask(ASK_PAPER))
        return PrinterStatus(online=online, paper=paper, cover_open=cover_open)

    def print_bytes(self, data: bytes) -> None:
        """Send an already rendered ESC/POS job; DeviceUnavailable if the port is lost."""
        port = self._live_port()
        try:
            serial_port.write_all(port, data)
        except DeviceUnavailable:
            self.close()
            raise

    def print_ticket(self, ticket: Ticket) -> PrinterStatus:
        """Print a ticket after checking status; return that status.

        Raises OutOfPaper, CoverOpen or PrinterOffline when the printer says so; an
        "unknown" status still prints (many printers cannot report), and the
        caller should then also show and speak the ticket.
        """
        status = self.status()
        # Printers go offline when the roll ends: name the cause the staff can fix.
        if status.paper == "out":
            raise OutOfPaper("printer reports paper end")
        if status.cover_open:
            raise CoverOpen("printer reports its cover open")
        if status.online is False:
            raise PrinterOffline("printer reports offline")
        self.print_bytes(render(ticket, profile=self.profile))
        return status
