"""Opening serial links by URL, with pyserial errors turned into ours.

A URL is whatever :func:`serial.serial_for_url` takes: ``/dev/serial/by-id/...``
or ``/dev/kiosk-bp`` in production, a pty path or ``socket://127.0.0.1:PORT`` with
a simulator. Local ports are opened with ``exclusive=True`` so that a second
program (or a stray ModemManager) cannot share the device without us noticing.
"""

from __future__ import annotations

import socket
import termios
from typing import Protocol

import serial

from peripherals.errors import DeviceUnavailable

# pyserial lets termios.error (not an OSError) escape from flushes on a dead tty.
_LOST = (serial.SerialException, OSError, termios.error)

# Reads block at most this long, so loops above them can watch deadlines and
# cancel flags without waiting on the device.
READ_SLICE = 0.05


class SerialLink(Protocol):
    """What the drivers use of an open port, whichever backend the URL chose.

    ``serial.SerialBase`` cannot name it: pyserial leaves ``in_waiting`` and
    ``reset_input_buffer`` to each backend, and a ``socket://`` port is not a
    ``serial.Serial``.
    """

    @property
    def port(self) -> str | None: ...

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


def open_serial(url: str, *, baudrate: int = 9600, write_timeout: float = 2.0) -> SerialLink:
    """Open ``url`` (8N1, ``baudrate``) and return the pyserial object.

    Raises :class:`DeviceUnavailable` if the port is missing, busy or refuses.
    """
    if not url:
        raise DeviceUnavailable("no URL configured")
    try:
        return serial.serial_for_url(
            url,
            baudrate=baudrate,
            timeout=READ_SLICE,
            write_timeout=write_timeout,
            exclusive=True,
        )
    except (serial.SerialException, OSError, ValueError) as exc:
        raise DeviceUnavailable(f"cannot open {url}: {exc}") from exc


def read_some(port: SerialLink) -> bytes:
    """Read what is waiting (or wait one slice for a byte); raise DeviceUnavailable on loss."""
    try:
        waiting = port.in_waiting
        return bytes(port.read(waiting or 1))
    except _LOST as exc:
        raise DeviceUnavailable(f"lost {port.port}: {exc}") from exc


def write_all(port: SerialLink, data: bytes) -> None:
    """Write ``data`` and wait until it left; raise DeviceUnavailable on loss."""
    try:
        port.write(data)
        port.flush()
    except serial.SerialTimeoutException as exc:
        raise DeviceUnavailable(f"write to {port.port} timed out: {exc}") from exc
    except _LOST as exc:
        raise DeviceUnavailable(f"lost {port.port}: {exc}") from exc


def discard_input(port: SerialLink) -> None:
    """Drop bytes left over from an earlier exchange; raise DeviceUnavailable on loss."""
    try:
        port.reset_input_buffer()
    except _LOST as exc:
        raise DeviceUnavailable(f"lost {port.port}: {exc}") from exc


def close_quietly(port: SerialLink | None) -> None:
    """Close a port that may already be dead, without raising."""
    if port is None:
        return
    # pyserial's socket:// close() skips closing the socket when shutdown() fails
    # (the peer already hung up), leaking it: close it ourselves as well.
    sock = getattr(port, "_socket", None)
    try:
        port.close()
    except _LOST:
        pass  # a port that vanished is closed enough
    if isinstance(sock, socket.socket):
        sock.close()
