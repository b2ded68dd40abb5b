"""A simulated SunTech Advantage module that speaks the real bytes.

Scenarios (DEVICES.md §1 and §7):
``normal``       golden result 115/74, pulse 85, mean 88
``loose_cuff``   error 87 (the cuff never holds pressure)
``movement``     error 2
``weak_signal``  error 1
``unplugged``    the link drops ``unplug_after`` seconds into a measurement
``garbage``      every reply comes after junk (with stray 3E and a bad frame), byte by byte
``silent``       never answers
``slow``         every reply late by ``reply_delay``, and a longer measurement
``busy``         answers 'B' to every start
"""

from __future__ import annotations

from peripherals import suntech_protocol as proto
from peripherals.sim.link import DeviceModel
from peripherals.suntech_codes import Ack

SCENARIOS = (
    "normal",
    "loose_cuff",
    "movement",
    "weak_signal",
    "unplugged",
    "garbage",
    "silent",
    "slow",
    "busy",
)
GOLDEN_RESULT = bytes.fromhex("3e18 7300 4a00 1e 01 0000000000003107 55 00 5800 00 0000 e9")
NO_RESULT = proto.encode_result(0, 0, 0, 0)
SCENARIO_ERRORS = {"loose_cuff": 87, "movement": 2, "weak_signal": 1}
JUNK = b"\x00\xff\x3e\x07junk" + b"\x3e\x04\x4f\x00"  # stray start bytes, then a bad-checksum ack

# Command byte after 3A -> total frame length (start + command + checksum).
COMMAND_LENGTHS = {0x20: 3, 0x87: 3, 0x28: 3, 0x79: 5, 0x17: 5}


class CommandDecoder:
    """Cut the host's byte stream into checked command frames (resync on 3A)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.rejected = 0

    def feed(self, data: bytes) -> list[bytes]:
        """Return every complete command frame with a valid checksum.

        An unknown command byte is returned as a 3-byte frame when its checksum
        fits (so the module can answer 'D'), else skipped.
        """
        self._buffer.extend(data)
        frames: list[bytes] = []
        while True:
            start = self._buffer.find(proto.HOST_START)
            if start < 0:
                self._buffer.clear()
                return frames
            del self._buffer[:start]
            if len(self._buffer) < 2:
                return frames
            length = COMMAND_LENGTHS.get(self._buffer[1], 3)
            if len(self._buffer) < length:
                return frames
            frame = bytes(self._buffer[:length])
            if sum(frame) & 0xFF:
                self.rejected += 1
                del self._buffer[:1]
                continue
            del self._buffer[:length]
            frames.append(frame)

    def clear(self) -> None:
        """Forget a half-received command."""
        self._buffer.clear()


def _ack(code: Ack) -> bytes:
    return proto.encode_reply(bytes([code.value]))


class SunTechDevice(DeviceModel):
    """State machine of the module; see the module docstring for scenarios."""

    def __init__(
        self,
        scenario: str = "normal",
        *,
        measure_time: float = 3.0,
        reply_delay: float = 0.5,
        unplug_after: float = 0.3,
        peak: int = 165,
        reading: tuple[int, int, int, int] | None = None,
    ) -> None:
        super().__init__()
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown BP scenario {scenario!r}; choose from {SCENARIOS}")
        self.scenario = scenario
        self.measure_time = measure_time * (3 if scenario == "slow" else 1)
        self.reply_delay = reply_delay
        self.unplug_after = unplug_after
        self.peak = peak
        self.decoder = CommandDecoder()
        self.commands: list[bytes] = []  # every checked command frame, for tests
        self.started_at: float | None = None
        self.result = NO_RESULT
        # (systolic, diastolic, pulse, mean) to answer instead of the golden 115/74.
        self.reading = proto.encode_result(*reading) if reading else GOLDEN_RESULT

    @property
    def aborts(self) -> int:
        """How many Abort commands arrived."""
        return self.commands.count(proto.ABORT)

    @property
    def measuring(self) -> bool:
        """True while the cuff is (virtually) inflated."""
        return self.started_at is not None

    def connected(self) -> None:
        """A host (re)connected: drop half commands and any measurement in flight."""
        super().connected()
        self.decoder.clear()
        self.started_at = None

    def receive(self, data: bytes, now: float) -> None:
        """Handle the host's bytes: answer each complete command."""
        for frame in self.decoder.feed(data):
            self.commands.append(frame)
            self._handle(frame, now)

    def tick(self, now: float) -> None:
        """End the measurement when its time is up, or drop the link when unplugging."""
        if self.started_at is None:
            return
        elapsed = now - self.started_at
        if self.scenario == "unplugged" and elapsed >= self.unplug_after:
            self.started_at = None
            self.request_unplug()
        elif elapsed >= self._duration():
            self.started_at = None
            code = SCENARIO_ERRORS.get(self.scenario, 0)
            self.result = self.reading if code == 0 else proto.encode_result(0, 0, 0, 0, code)
            self._reply(_ack(Ack.COMPLETE))  # unsolicited, as the real module does

    def _duration(self) -> float:
        return self.measure_time / 3 if self.scenario == "loose_cuff" else self.measure_time

    def pressure(self, now: float) -> int:
        """Cuff pressure along a simple inflate-then-deflate curve."""
        if self.started_at is None:
            return 0
        top = 30 if self.scenario == "loose_cuff" else self.peak
        share = min(1.0, (now - self.started_at) / self._duration())
        if share < 0.3:
            return int(top * share / 0.3)
        return int(top * (1.0 - share) / 0.7)

    def _handle(self, frame: bytes, now: float) -> None:
        command = frame[1:-1]
        if command[0] in proto.MODES.values():
            if self.scenario == "busy" or self.started_at is not None:
                self._reply(_ack(Ack.BUSY))
            else:
                self.started_at = now
                self._reply(_ack(Ack.RECEIVED))
        elif command == b"\x79\x05\x00":
            self._reply(proto.encode_reply(self.pressure(now).to_bytes(2, "little")))
        elif command == b"\x79\x03\x00":
            self._reply(self.result)
        elif command == b"\x79\x01\x00":
            self.started_at = None
            self._reply(_ack(Ack.ABORTED))
        elif command == b"\x79\x02\x40":
            self._reply(proto.encode_reply(b"SunTech Advantage simulator 1.0"))
        elif command[0] == 0x17 or command == b"\x79\x10\x03":
            self._reply(_ack(Ack.RECEIVED))
        else:
            self._reply(_ack(Ack.UNRECOGNISED))

    def _reply(self, frame: bytes) -> None:
        if self.scenario == "silent":
            return
        if self.scenario == "slow":
            self.send(frame, delay=self.reply_delay)
        elif self.scenario == "garbage":
            # Byte by byte, so the host sees frames split across reads.
            for byte in JUNK + frame:
                self.send(bytes([byte]), delay=0.001)
        else:
            self.send(frame)
