"""A simulated ESC/POS printer: keeps the job bytes, answers DLE EOT status.

Scenarios: ``normal``, ``paper_low``, ``out_of_paper`` (also reports offline, as
real printers do when the roll ends), ``offline``, ``cover_open`` (offline, DLE EOT 2 says
why), ``silent`` (never answers).
``on_print`` is called with each job's bytes once its cut command arrives (the demo
writes them out as a picture, peripherals.sim.paper).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from peripherals.sim.link import DeviceModel

log = logging.getLogger(__name__)

SCENARIOS = ("normal", "paper_low", "out_of_paper", "offline", "cover_open", "silent")
DLE, EOT = 0x10, 0x04
BASE = 0x12  # fixed bits of every status byte
OFFLINE, PAPER_NEAR_END, PAPER_END = 0x08, 0x0C, 0x60
COVER_OPEN = 0x04  # in the DLE EOT 2 reply (offline cause)
CUT = re.compile(rb"\x1dV(?:[\x41\x42].|[^\x41\x42])", re.DOTALL)  # GS V m [n]: a job ends


class PrinterDevice(DeviceModel):
    """Printer state machine; the printed bytes accumulate in :attr:`received`."""

    def __init__(
        self, scenario: str = "normal", on_print: Callable[[bytes], object] | None = None
    ) -> None:
        super().__init__()
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown printer scenario {scenario!r}; choose from {SCENARIOS}")
        self.scenario = scenario
        self.on_print = on_print
        self.received = bytearray()
        self._job_start = 0
        self.status_queries: list[int] = []
        self._pending = bytearray()  # a DLE or DLE EOT split across reads

    def printed(self) -> bytes:
        """Every job byte received so far (status queries excluded)."""
        with self._lock:
            return bytes(self.received)

    def receive(self, data: bytes, now: float) -> None:
        """Store job bytes; answer DLE EOT n at once, as real printers do."""
        stream = bytes(self._pending) + data
        self._pending.clear()
        job = bytearray()
        i = 0
        while i < len(stream):
            byte = stream[i]
            if byte == DLE and len(stream) - i < 3:
                self._pending.extend(stream[i:])
                break
            if byte == DLE and stream[i + 1] == EOT and 1 <= stream[i + 2] <= 4:
                self._answer(stream[i + 2])
                i += 3
                continue
            job.append(byte)
            i += 1
        with self._lock:
            self.received.extend(job)
            jobs = []
            while cut := CUT.search(self.received, self._job_start):
                jobs.append(bytes(self.received[self._job_start:cut.end()]))
                self._job_start = cut.end()
        on_print = self.on_print
        if on_print is None:
            return
        for done in jobs:
            try:
                on_print(done)
            except Exception:  # what the printer does with paper never breaks the device
                log.exception("the printed job could not be handed over")

    def _answer(self, n: int) -> None:
        self.status_queries.append(n)
        if self.scenario == "silent":
            return
        value = BASE
        if n == 1 and self.scenario in ("offline", "out_of_paper", "cover_open"):
            value |= OFFLINE
        if n == 2 and self.scenario == "cover_open":
            value |= COVER_OPEN
        if n == 4 and self.scenario == "paper_low":
            value |= PAPER_NEAR_END
        if n == 4 and self.scenario == "out_of_paper":
            value |= PAPER_END | PAPER_NEAR_END
        self.send(bytes([value]))
