"""QR / barcode scanner in serial (USB-CDC) mode: one code per line, CR or CR LF."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator

from peripherals import serial_port
from peripherals.errors import DeviceUnavailable

log = logging.getLogger(__name__)

MAX_LINE = 2048  # longer than any code we print; bounds memory if the line end never comes


class LineDecoder:
    """Cut a byte stream into codes.

    A line ends at CR or LF (so CR LF gives one code), blank lines are ignored,
    lines that are not UTF-8 or that overflow ``max_line`` are dropped and
    counted, and control characters are stripped from the text.
    """

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self._buffer = bytearray()
        self._overflowed = False
        self.dropped_lines = 0

    def feed(self, data: bytes) -> list[str]:
        """Add received bytes and return the codes they complete."""
        codes: list[str] = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                code = self._finish()
                if code:
                    codes.append(code)
            elif self._overflowed:
                continue
            elif len(self._buffer) >= self.max_line:
                self._overflowed = True
                self._buffer.clear()
            else:
                self._buffer.append(byte)
        return codes

    def _finish(self) -> str | None:
        raw, overflowed = bytes(self._buffer), self._overflowed
        self._buffer.clear()
        self._overflowed = False
        if overflowed:
            self.dropped_lines += 1
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.dropped_lines += 1
            log.info("scanner: dropped a line that is not UTF-8 (%d bytes)", len(raw))
            return None
        return "".join(ch for ch in text if ch.isprintable()).strip() or None


class SerialCodeScanner:
    """A scanner at ``url``; codes are read with :meth:`read_code` or :meth:`codes`."""

    def __init__(self, url: str, *, baudrate: int = 9600) -> None:
        self.url = url
        self.baudrate = baudrate
        self._port: serial_port.SerialLink | None = None
        self._decoder = LineDecoder()
        self._ready: deque[str] = deque()

    def open(self) -> None:
        """Open the URL; DeviceUnavailable if it is missing or busy."""
        if self._port is None:
            self._port = serial_port.open_serial(self.url, baudrate=self.baudrate)
            self._decoder = LineDecoder()
            self._ready.clear()

    def close(self) -> None:
        """Close the port; never raises."""
        port, self._port = self._port, None
        serial_port.close_quietly(port)

    def __enter__(self) -> SerialCodeScanner:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def read_code(self, timeout: float) -> str | None:
        """Return the next code, or None if none is complete within ``timeout`` seconds."""
        until = time.monotonic() + timeout
        while not self._ready:
            port = self._port
            if port is None:
                raise DeviceUnavailable(f"scanner {self.url} is not open")
            try:
                data = serial_port.read_some(port)
            except DeviceUnavailable:
                self.close()
                raise
            self._ready.extend(self._decoder.feed(data))
            if not self._ready and time.monotonic() >= until:
                return None
        return self._ready.popleft()

    def codes(self, stop: threading.Event) -> Iterator[str]:
        """Yield codes as they are scanned until ``stop`` is set."""
        while not stop.is_set():
            code = self.read_code(timeout=0.2)
            if code is not None:
                yield code
