"""Plays a simulated card into vsmartcard-vpcd's virtual reader, in our private pcscd.

vpcd waits for the card program on a TCP port (35963 for reader "Virtual PCD 00 00", 35964
for "... 00 01"); the card is the client. Our pcscd runs in a network namespace of its own
(peripherals.sim.pcscd), so that port exists only there: the card gets its connection from
:meth:`PrivatePcscd.connect`. Every message is a 2-byte big-endian length then a payload; a
1-byte payload is a control: 0 power off, 1 power on, 2 reset, 4 "send the ATR". Anything
longer is a command APDU, answered with the response. While the connection is open the card is
in the reader; closing it pulls the card out. Never install vpcd on a real unit.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

from peripherals.sim.pcscd import PrivatePcscd
from peripherals.sim.vitale_card import VitaleCard

POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4


class VpcdCard:
    """A card inserted while :meth:`insert` holds; connection retried until vpcd listens.

    ``pull_out_after`` (a number of APDUs) makes the card vanish mid-read: the
    connection closes instead of answering that command.
    """

    def __init__(
        self,
        card: VitaleCard,
        readers: PrivatePcscd,
        *,
        slot: int = 0,
        pull_out_after: int | None = None,
        retry_interval: float = 0.1,
    ) -> None:
        self.card = card
        self.readers = readers
        self.slot = slot
        self.pull_out_after = pull_out_after
        self.retry_interval = retry_interval
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._apdus = 0

    @property
    def reader(self) -> str:
        """The reader name the kiosk should use (or ``auto``)."""
        return self.readers.reader(self.slot)

    def insert(self) -> None:
        """Put the card in the reader (connects in the background)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._apdus = 0
        self._thread = threading.Thread(target=self._run, name="sim-vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Pull the card out of the reader."""
        self._stop.set()
        sock = self._sock
        if sock is not None:
            # shutdown wakes the thread blocked in recv; it closes the socket.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)

    stop = remove

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sock = self.readers.connect(self.slot)
            except OSError:
                self._stop.wait(self.retry_interval)  # vpcd not listening yet
                continue
            self._sock = sock
            try:
                sock.settimeout(None)
                self.card.reset()
                self.connected.set()
                self._serve(sock)
            finally:
                self.connected.clear()
                self._sock = None
                sock.close()
            if self.pull_out_after is not None:
                return  # a card pulled out stays out until inserted again

    def _serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            message = _receive(sock)
            if message is None:
                return
            if len(message) == 1:
                if message[0] == GET_ATR:
                    _send(sock, self.card.atr)
                elif message[0] in (POWER_ON, RESET, POWER_OFF):
                    self.card.reset()
                continue
            self._apdus += 1
            if self.pull_out_after is not None and self._apdus > self.pull_out_after:
                return
            _send(sock, self.card.transmit(message))


def _receive_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        try:
            chunk = sock.recv(size - len(data))
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data


def _receive(sock: socket.socket) -> bytes | None:
    head = _receive_exact(sock, 2)
    if head is None:
        return None
    (size,) = struct.unpack(">H", head)
    return _receive_exact(sock, size) if size else b""


def _send(sock: socket.socket, payload: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(struct.pack(">H", len(payload)) + payload)
