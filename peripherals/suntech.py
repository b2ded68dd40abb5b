"""Driver for the SunTech Advantage OEM NIBP module over any pyserial URL.

One measurement: start, poll the cuff pressure (passing it to a callback for the
live display), wait for the unsolicited 'K', ask for the result. Whatever
happens — success, module error, timeout, cancel, unplug — the module is sent
Abort before ``measure`` returns, so the cuff deflates.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from peripherals import serial_port
from peripherals import suntech_protocol as proto
from peripherals.errors import (
    DeviceBusy,
    DeviceError,
    DeviceTimeout,
    DeviceUnavailable,
    MeasurementCancelled,
    MeasurementError,
    MeasurementTimeout,
    ProtocolError,
)
from peripherals.interfaces import PressureCallback
from peripherals.models import BloodPressureReading
from peripherals.suntech_codes import Ack

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SunTechTiming:
    """Timing of the exchange; defaults follow deployed code (DEVICES.md §1).

    Tests shrink these so the suite stays fast; nothing else depends on them.
    """

    poll_interval: float = 0.3
    poll_reply_timeout: float = 1.0
    reply_timeout: float = 4.5
    missed_polls_limit: int = 5
    measurement_deadline: float = 150.0
    busy_retries: int = 3
    busy_retry_delay: float = 0.5
    abort_ack_timeout: float = 0.5


_END_ACKS = (Ack.COMPLETE, Ack.ERROR, Ack.TIMEOUT)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SunTechMonitor:
    """A SunTech Advantage module reached through ``url`` (see :mod:`peripherals.serial_port`)."""

    def __init__(
        self,
        url: str,
        *,
        timing: SunTechTiming | None = None,
        mode: str = "adult",
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        if mode not in proto.MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.url = url
        self.timing = timing or SunTechTiming()
        self.mode = mode
        self._clock = clock
        self._now = now
        self._port: serial_port.SerialLink | None = None
        self._decoder = proto.FrameDecoder()
        self._frames: deque[bytes] = deque()

    # -- port ---------------------------------------------------------------

    def open(self) -> None:
        """Open the serial URL (9600 8N1, exclusive); raise DeviceUnavailable if it fails."""
        if self._port is None:
            self._port = serial_port.open_serial(self.url, baudrate=9600)
            self._decoder = proto.FrameDecoder()
            self._frames.clear()

    def close(self) -> None:
        """Close the port; never raises."""
        port, self._port = self._port, None
        serial_port.close_quietly(port)

    @property
    def is_open(self) -> bool:
        """True while the port is open (it closes itself when the device is lost)."""
        return self._port is not None

    def __enter__(self) -> SunTechMonitor:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def bad_frames(self) -> int:
        """Frames dropped for a bad length or checksum since the port was opened."""
        return self._decoder.bad_frames

    # -- public operations ----------------------------------------------------

    def probe(self) -> str:
        """Ask for the version string; raise DeviceTimeout if the module is silent."""
        self._send(proto.GET_VERSION, flush_input=True)
        until = self._clock() + self.timing.reply_timeout
        while (frame := self._next_frame(until)) is not None:
            if proto.frame_kind(frame) == "other":
                return proto.parse_text(frame)
            if proto.frame_kind(frame) == "ack":
                return ""  # older firmware may not know the command, but it answered
        raise DeviceTimeout(f"no answer from the cuff module on {self.url}")

    def abort(self) -> None:
        """Send Abort so the cuff deflates, and consume its acknowledgement.

        Never raises: it runs on the way out of every measurement, including when
        the port has just died.
        """
        try:
            self._send(proto.ABORT)
            until = self._clock() + self.timing.abort_ack_timeout
            while (frame := self._next_frame(until)) is not None:
                if proto.frame_kind(frame) == "ack" and proto.parse_ack(frame) in (
                    Ack.ABORTED,
                    Ack.RECEIVED,
                ):
                    return
        except DeviceError as exc:
            log.warning("suntech: abort not confirmed on %s: %s", self.url, exc)

    def measure(
        self,
        on_pressure: PressureCallback | None = None,
        *,
        cancel: threading.Event | None = None,
        deadline: float | None = None,
    ) -> BloodPressureReading:
        """Run one measurement and return the reading.

        ``deadline`` (seconds from now, default ``timing.measurement_deadline``)
        bounds the whole measurement; ``cancel`` stops it early. Raises
        MeasurementError (module error code), MeasurementTimeout (deadline),
        MeasurementCancelled, DeviceTimeout (module silent), DeviceBusy,
        DeviceUnavailable (port lost) or ProtocolError. Abort is always sent.
        """
        if self._port is None:
            raise DeviceUnavailable(f"{self.url} is not open")
        budget = self.timing.measurement_deadline if deadline is None else deadline
        limit = self._clock() + budget
        try:
            self._start(limit, cancel)
            end = self._follow_cuff(limit, cancel, on_pressure)
            return self._fetch_result(limit, end)
        finally:
            self.abort()

    # -- measurement steps ------------------------------------------------------

    def _start(self, limit: float, cancel: threading.Event | None) -> None:
        for attempt in range(self.timing.busy_retries + 1):
            self._check(limit, cancel)
            self._send(proto.start_command(self.mode), flush_input=True)
            ack = self._wait_ack(min(limit, self._clock() + self.timing.reply_timeout))
            if ack is Ack.RECEIVED:
                return
            if ack is None:
                self._check(limit, cancel)  # the deadline, rather than the module, may be why
                raise DeviceTimeout("the cuff module did not acknowledge the start")
            if ack in (Ack.BUSY, Ack.SLEEPING) and attempt < self.timing.busy_retries:
                # A sleeping module wakes on the first command; a busy one may be
                # zeroing its transducer: both are worth another try.
                self._pause(self.timing.busy_retry_delay, limit, cancel)
                continue
            raise self._ack_error(ack, "start")
        raise AssertionError("unreachable")  # pragma: no cover

    def _follow_cuff(
        self, limit: float, cancel: threading.Event | None, on_pressure: PressureCallback | None
    ) -> Ack:
        t = self.timing
        next_poll = self._clock()
        asked_at: float | None = None
        missed = 0
        while True:
            self._check(limit, cancel)
            now = self._clock()
            if asked_at is not None and now - asked_at >= t.poll_reply_timeout:
                asked_at = None
                missed += 1
                if missed >= t.missed_polls_limit:
                    raise DeviceTimeout(f"cuff module silent for {missed} polls")
            if asked_at is None and now >= next_poll:
                self._send(proto.GET_CUFF_PRESSURE)
                asked_at, next_poll = now, now + t.poll_interval
            wake = asked_at + t.poll_reply_timeout if asked_at is not None else next_poll
            frame = self._next_frame(min(limit, wake))
            if frame is None:
                continue
            kind = proto.frame_kind(frame)
            if kind == "pressure":
                asked_at, missed = None, 0
                self._report(on_pressure, proto.parse_pressure(frame))
            elif kind == "ack":
                ack = proto.parse_ack(frame)
                if ack in _END_ACKS:
                    return ack
                if ack is Ack.ABORTED:
                    raise MeasurementCancelled("the cuff module aborted the measurement")

    def _fetch_result(self, limit: float, end: Ack) -> BloodPressureReading:
        for _ in range(3):
            self._send(proto.GET_RESULT)
            until = min(limit, self._clock() + self.timing.reply_timeout)
            while (frame := self._next_frame(until)) is not None:
                if proto.frame_kind(frame) != "result":
                    continue  # a late pressure reply or ack
                reading = proto.parse_result(frame, self._now())
                if reading.error:
                    raise MeasurementError(reading.error)
                if end is not Ack.COMPLETE:
                    # Without an error code this result is the previous one.
                    raise self._ack_error(end, "the measurement")
                if reading.systolic == 0 or reading.diastolic == 0:
                    raise ProtocolError("the cuff module returned an empty result")
                return reading
            if self._clock() >= limit:
                raise MeasurementTimeout("deadline passed while waiting for the result")
        raise DeviceTimeout("the cuff module did not send its result")

    # -- helpers ------------------------------------------------------------------

    def _check(self, limit: float, cancel: threading.Event | None) -> None:
        if cancel is not None and cancel.is_set():
            raise MeasurementCancelled("measurement cancelled")
        if self._clock() >= limit:
            raise MeasurementTimeout("blood-pressure measurement passed its deadline")

    def _pause(self, seconds: float, limit: float, cancel: threading.Event | None) -> None:
        until = min(limit, self._clock() + seconds)
        while self._clock() < until:
            self._check(limit, cancel)
            time.sleep(min(serial_port.READ_SLICE, max(0.0, until - self._clock())))

    def _report(self, on_pressure: PressureCallback | None, mmhg: int | None) -> None:
        if on_pressure is None or mmhg is None:
            return
        try:
            on_pressure(mmhg)
        except Exception:  # a display bug must not stop the measurement half-way
            log.exception("suntech: pressure callback failed")

    def _wait_ack(self, until: float) -> Ack | None:
        while (frame := self._next_frame(until)) is not None:
            if proto.frame_kind(frame) == "ack":
                ack = proto.parse_ack(frame)
                if ack not in (Ack.COMPLETE, Ack.ABORTED):  # late acks of an earlier run
                    return ack
        return None

    @staticmethod
    def _ack_error(ack: Ack, what: str) -> DeviceError:
        detail = f"cuff module answered {chr(ack.value)!r} to {what}"
        if ack is Ack.BUSY:
            return DeviceBusy(detail)
        if ack is Ack.SLEEPING:
            return DeviceUnavailable(detail)
        if ack is Ack.TIMEOUT:
            return DeviceTimeout(detail)
        return ProtocolError(detail)

    def _send(self, frame: bytes, *, flush_input: bool = False) -> None:
        port = self._live_port()
        try:
            if flush_input:
                serial_port.discard_input(port)
                self._decoder.clear()
                self._frames.clear()
            serial_port.write_all(port, frame)
        except DeviceUnavailable:
            self.close()
            raise

    def _next_frame(self, until: float) -> bytes | None:
        """Return the next checked frame, or None once ``until`` has passed."""
        while not self._frames:
            if self._clock() >= until:
                return None
            try:
                data = serial_port.read_some(self._live_port())
            except DeviceUnavailable:
                self.close()
                raise
            if data:
                self._frames.extend(self._decoder.feed(data))
        return self._frames.popleft()

    def _live_port(self) -> serial_port.SerialLink:
        if self._port is None:
            raise DeviceUnavailable(f"{self.url} was lost")
        return self._port
