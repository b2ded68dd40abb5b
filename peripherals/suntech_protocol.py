"""SunTech Advantage OEM NIBP frames: pure encoding and decoding, no I/O.

Host -> module: ``3A`` + command + checksum (no length byte).
Module -> host: ``3E`` + total length + data + checksum; a valid frame sums to 0
mod 256. See DEVICES.md §1 for the commands and the 24-byte result layout.
"""

from __future__ import annotations

import datetime as dt
import logging

from peripherals.errors import ProtocolError
from peripherals.models import BloodPressureReading
from peripherals.suntech_codes import Ack

log = logging.getLogger(__name__)

HOST_START = 0x3A
MODULE_START = 0x3E
MIN_FRAME = 3  # start, length, checksum
MAX_FRAME = 0x43
ACK_LEN = 4
PRESSURE_LEN = 5
RESULT_LEN = 0x18


def checksum(data: bytes) -> int:
    """Return the byte that makes ``data`` + it sum to 0 mod 256."""
    return (0x100 - sum(data)) & 0xFF


def encode_command(body: bytes) -> bytes:
    """Frame a host command: ``3A`` + body + checksum."""
    head = bytes([HOST_START]) + body
    return head + bytes([checksum(head)])


def encode_reply(data: bytes) -> bytes:
    """Frame a module reply: ``3E`` + length + data + checksum (used by the simulator)."""
    if len(data) + MIN_FRAME > MAX_FRAME:
        raise ValueError("reply too long for one frame")
    head = bytes([MODULE_START, len(data) + MIN_FRAME]) + data
    return head + bytes([checksum(head)])


MODES = {"adult": 0x20, "child": 0x87, "newborn": 0x28}


def start_command(mode: str = "adult") -> bytes:
    """Return the start-measurement frame for ``adult``, ``child`` or ``newborn``."""
    return encode_command(bytes([MODES[mode]]))


ABORT = encode_command(b"\x79\x01\x00")  # 3A 79 01 00 4C
GET_CUFF_PRESSURE = encode_command(b"\x79\x05\x00")  # 3A 79 05 00 48
GET_RESULT = encode_command(b"\x79\x03\x00")  # 3A 79 03 00 4A
MODULE_STATUS = encode_command(b"\x79\x10\x03")  # 3A 79 10 03 3A
GET_VERSION = encode_command(b"\x79\x02\x40")  # 3A 79 02 40 0B


def initial_inflation_command(mmhg: int) -> bytes:
    """Return the frame setting the first inflation target (u16 little-endian)."""
    if not 0 <= mmhg <= 0xFFFF:
        raise ValueError("pressure out of range")
    return encode_command(b"\x17" + mmhg.to_bytes(2, "little"))


class FrameDecoder:
    """Cut a byte stream from the module into checked frames.

    Resynchronises on ``3E`` after garbage, drops frames whose length byte is
    impossible or whose checksum is wrong (counting them), and keeps partial
    frames until the rest arrives. Memory is bounded by one maximal frame.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.dropped_bytes = 0
        self.bad_frames = 0

    def clear(self) -> None:
        """Forget a partial frame (after the input buffer was discarded)."""
        self._buffer.clear()

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes and return every complete, valid frame in order."""
        self._buffer.extend(data)
        frames: list[bytes] = []
        while True:
            start = self._buffer.find(MODULE_START)
            if start < 0:
                self.dropped_bytes += len(self._buffer)
                self._buffer.clear()
                return frames
            if start:
                self.dropped_bytes += start
                del self._buffer[:start]
            if len(self._buffer) < 2:
                return frames
            length = self._buffer[1]
            if not MIN_FRAME <= length <= MAX_FRAME:
                self._reject("impossible length %d", length)
                continue
            if len(self._buffer) < length:
                return frames
            frame = bytes(self._buffer[:length])
            if sum(frame) & 0xFF:
                # A 3E inside garbage looks like a start: drop only that byte so a
                # real frame starting a little later is still found.
                self._reject("bad checksum in %s", frame.hex(" "))
                continue
            del self._buffer[:length]
            frames.append(frame)

    def _reject(self, why: str, arg: object) -> None:
        log.debug("suntech: dropping candidate frame: " + why, arg)
        self.bad_frames += 1
        self.dropped_bytes += 1
        del self._buffer[:1]


def frame_kind(frame: bytes) -> str:
    """Classify a checked frame by its length: ``ack``, ``pressure``, ``result`` or ``other``."""
    return {ACK_LEN: "ack", PRESSURE_LEN: "pressure", RESULT_LEN: "result"}.get(len(frame), "other")


def _check(frame: bytes, length: int, what: str) -> None:
    if len(frame) != length or frame[0] != MODULE_START or frame[1] != length or sum(frame) & 0xFF:
        raise ProtocolError(f"not a valid {what} frame: {frame.hex(' ')}")


def parse_ack(frame: bytes) -> Ack:
    """Decode ``3E 04 <code> ck`` into an :class:`Ack`; ProtocolError otherwise."""
    _check(frame, ACK_LEN, "acknowledgement")
    try:
        return Ack(frame[2])
    except ValueError as exc:
        raise ProtocolError(f"unknown acknowledgement code {frame[2]:#04x}") from exc


def parse_pressure(frame: bytes) -> int | None:
    """Decode ``3E 05 LSB MSB ck`` into mmHg; None when the module says -1 (invalid)."""
    _check(frame, PRESSURE_LEN, "cuff pressure")
    value = int.from_bytes(frame[2:4], "little", signed=True)
    return None if value < 0 else value


def parse_result(frame: bytes, taken_at: dt.datetime) -> BloodPressureReading:
    """Decode the 24-byte BP data frame (see DEVICES.md §1) into a reading.

    The reading carries the module's error code; deciding what an error means is
    the driver's job.
    """
    _check(frame, RESULT_LEN, "BP result")
    return BloodPressureReading(
        systolic=int.from_bytes(frame[2:4], "little"),
        diastolic=int.from_bytes(frame[4:6], "little"),
        mean=int.from_bytes(frame[18:20], "little"),
        pulse=frame[16],
        error=frame[20],
        taken_at=taken_at,
    )


def encode_result(
    systolic: int,
    diastolic: int,
    pulse: int,
    mean: int,
    error: int = 0,
    *,
    beats: int = 0,
    test_codes: bytes = bytes(8),
) -> bytes:
    """Build a 24-byte BP data frame (the simulator's half of :func:`parse_result`)."""
    body = bytearray(RESULT_LEN - MIN_FRAME)
    body[0:2] = systolic.to_bytes(2, "little")
    body[2:4] = diastolic.to_bytes(2, "little")
    body[4] = beats
    body[5] = 1 if error == 0 else 0  # BP status: 1 = data valid
    body[6:14] = test_codes[:8].ljust(8, b"\x00")
    body[14] = pulse
    body[16:18] = mean.to_bytes(2, "little")
    body[18] = error
    return encode_reply(bytes(body))


def parse_text(frame: bytes) -> str:
    """Decode a text reply (the version string) as printable ASCII."""
    if len(frame) < MIN_FRAME or frame[0] != MODULE_START or frame[1] != len(frame):
        raise ProtocolError(f"not a valid text frame: {frame.hex(' ')}")
    if sum(frame) & 0xFF:
        raise ProtocolError("bad checksum in text frame")
    return frame[2:-1].decode("ascii", "replace").strip("\x00 ")
