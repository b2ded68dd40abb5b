"""DeviceManager: owns every device, keeps them healthy, answers requests to a deadline.

Built from a plain settings mapping (``bp_url``, ``card_reader``, ``printer_url``,
``scanner_url``; empty means "not installed"). Nothing is opened at import or
construction: :meth:`DeviceManager.start` starts one thread per configured device,
:meth:`DeviceManager.stop` closes them all. Request-facing methods wait on a Future
with a timeout, so a web request never hangs on a device.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from peripherals.bp_measurement import BpMeasurement
from peripherals.device_worker import DeviceWorker, Verdict, WorkerTiming
from peripherals.errors import (
    DeviceBusy,
    DeviceNotConfigured,
    DeviceTimeout,
    DeviceUnavailable,
    PeripheralError,
)
from peripherals.events import CardEvents, CodeInbox
from peripherals.models import (
    BloodPressureReading,
    CardContents,
    DeviceHealth,
    PrinterStatus,
    SelfTestResult,
    Ticket,
)
from peripherals.pcsc import PcscCardReader, PcscTiming
from peripherals.printer import SerialTicketPrinter
from peripherals.scanner import SerialCodeScanner
from peripherals.self_test import printer_verdict, run_self_test
from peripherals.suntech import SunTechMonitor, SunTechTiming

T = TypeVar("T")
KINDS = ("bp", "card", "printer", "scanner")
SETTING_KEYS = {
    "bp": "bp_url",
    "card": "card_reader",
    "printer": "printer_url",
    "scanner": "scanner_url",
}


@dataclass(frozen=True, slots=True)
class ManagerTiming:
    """Every period and deadline the manager uses; tests shrink them."""

    worker: WorkerTiming = field(default_factory=WorkerTiming)
    card_poll_interval: float = 0.25
    scanner_poll_interval: float = 0.05
    request_timeout: float = 10.0  # card read, print, status
    measurement_deadline: float = 150.0
    abort_grace: float = 2.0  # extra wait for the driver to send Abort after its deadline
    code_max_age: float = 30.0
    bp: SunTechTiming = field(default_factory=SunTechTiming)
    pcsc: PcscTiming = field(default_factory=PcscTiming)


class DeviceManager:
    """Owns the cuff, the card reader, the printer and the scanner."""

    def __init__(self, settings: Mapping[str, Any], *, timing: ManagerTiming | None = None) -> None:
        self.timing = t = timing or ManagerTiming()
        self.settings = {
            kind: str(settings.get(key) or "").strip() for kind, key in SETTING_KEYS.items()
        }
        self.card_events = CardEvents()
        self.codes = CodeInbox(max_age=t.code_max_age)
        self._measurement: BpMeasurement | None = None
        self._lock = threading.Lock()
        self._created = dt.datetime.now(dt.UTC)
        wt = t.worker
        cfg = self.settings
        mode = str(settings.get("bp_mode") or "adult")
        # functools.partial binds each URL now (a lambda would see the last one).
        self.workers: dict[str, DeviceWorker[Any]] = {}
        if cfg["bp"]:
            self.workers["bp"] = DeviceWorker(
                "bp",
                partial(SunTechMonitor, cfg["bp"], timing=t.bp, mode=mode),
                timing=wt,
                probe=_probe_cuff,
            )
        if cfg["card"]:
            self.workers["card"] = DeviceWorker(
                "card",
                partial(PcscCardReader, cfg["card"], timing=t.pcsc),
                timing=_with_idle(wt, t.card_poll_interval),
                idle=self.card_events.poll,
            )
        if cfg["printer"]:
            self.workers["printer"] = DeviceWorker(
                "printer",
                partial(SerialTicketPrinter, cfg["printer"]),
                timing=wt,
                probe=_probe_printer,
            )
        if cfg["scanner"]:
            self.workers["scanner"] = DeviceWorker(
                "scanner",
                partial(SerialCodeScanner, cfg["scanner"]),
                timing=_with_idle(wt, t.scanner_poll_interval),
                idle=self.codes.collect,
            )

    # -- lifecycle

    def start(self) -> None:
        """Start one thread per configured device; each opens its device (with backoff)."""
        for worker in self.workers.values():
            worker.start()

    def stop(self) -> None:
        """Cancel any measurement (the cuff deflates), close every device, join the threads."""
        with self._lock:
            if self._measurement is not None:
                self._measurement.cancel()
        for worker in self.workers.values():
            worker.stop()

    def __enter__(self) -> DeviceManager:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- health

    def health(self) -> dict[str, DeviceHealth]:
        """Health of all four devices (``not_configured`` for those without a setting)."""
        return {
            kind: self.workers[kind].health()
            if kind in self.workers
            else DeviceHealth(kind, "not_configured", None, self._created)
            for kind in KINDS
        }

    def wait_open(self, timeout: float, kinds: tuple[str, ...] = KINDS) -> bool:
        """Wait until each configured device of ``kinds`` is open, ``timeout`` seconds in all
        (right after :meth:`start` none is yet); True if they all are."""
        deadline = time.monotonic() + timeout
        opened = [  # a list, not a generator: every device gets its wait
            self.workers[kind].wait_open(max(deadline - time.monotonic(), 0.0))
            for kind in kinds
            if kind in self.workers
        ]
        return all(opened)

    def _worker(self, kind: str) -> DeviceWorker[Any]:
        try:
            return self.workers[kind]
        except KeyError:
            raise DeviceNotConfigured(f"no setting {SETTING_KEYS[kind]}") from None

    def run_on(self, kind: str, job: Callable[[Any], T], timeout: float | None = None) -> T:
        """Run ``job(driver)`` on the device's thread and wait at most ``timeout`` s for it."""
        future = self._worker(kind).submit(job)
        try:
            return future.result(self.timing.request_timeout if timeout is None else timeout)
        except FutureTimeout:
            future.cancel()
            raise DeviceTimeout(f"{kind} did not answer in time") from None

    # -- blood pressure

    def start_bp_measurement(
        self,
        on_pressure: Callable[[int], None] | None = None,
        *,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> BpMeasurement:
        """Start a measurement and return at once with its handle.

        ``on_pressure`` gets each live cuff pressure (mmHg) on the cuff's thread:
        keep it quick. ``deadline`` (seconds) bounds the measurement; ``cancel``
        may be an event the app sets when the person leaves. Raises DeviceBusy if
        one is running, DeviceNotConfigured if there is no cuff; other errors come
        out of :meth:`BpMeasurement.result`.
        """
        worker = self._worker("bp")
        budget = self.timing.measurement_deadline if deadline is None else deadline
        measurement = BpMeasurement(cancel or threading.Event())
        with self._lock:
            if self._measurement is not None and not self._measurement.done():
                raise DeviceBusy("a measurement is already running")
            self._measurement = measurement

        def live(mmhg: int) -> None:
            measurement.record(mmhg)
            if on_pressure is not None:
                on_pressure(mmhg)

        def job(monitor: SunTechMonitor) -> BloodPressureReading:
            return monitor.measure(live, cancel=measurement.cancel_event, deadline=budget)

        inner = worker.submit(job)
        inner.add_done_callback(lambda done: _copy_outcome(done, measurement.future))
        return measurement

    def measure_bp(
        self,
        on_pressure: Callable[[int], None] | None = None,
        *,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> BloodPressureReading:
        """Measure and wait for the reading, never longer than ``deadline`` plus the abort grace."""
        budget = self.timing.measurement_deadline if deadline is None else deadline
        measurement = self.start_bp_measurement(on_pressure, deadline=budget, cancel=cancel)
        return measurement.result(budget + self.timing.abort_grace)

    def abort_bp(self) -> None:
        """Stop the running measurement, if any (the cuff deflates)."""
        with self._lock:
            if self._measurement is not None:
                self._measurement.cancel()

    # -- card

    def read_card(self, timeout: float | None = None) -> CardContents:
        """Read every beneficiary on the card; CardError subclasses say what went wrong."""
        return self.run_on("card", PcscCardReader.read, timeout)

    def card_present(self) -> bool | None:
        """Whether a card is in the reader, as last polled; None if unknown."""
        if "card" not in self.workers or self.workers["card"].health().state != "ok":
            return None
        return self.card_events.present

    # -- printer

    def print_ticket(self, ticket: Ticket, timeout: float | None = None) -> PrinterStatus:
        """Print a ticket; returns the status read before printing (may be "unknown")."""

        def job(printer: SerialTicketPrinter) -> PrinterStatus:
            return printer.print_ticket(ticket)

        return self.run_on("printer", job, timeout)

    def printer_status(self, timeout: float | None = None) -> PrinterStatus:
        """Ask the printer how it is (silence gives an "unknown" status)."""
        return self.run_on("printer", SerialTicketPrinter.status, timeout)

    # -- scanner

    def wait_for_code(self, timeout: float) -> str | None:
        """Return the next scanned code (or one scanned recently), None after ``timeout`` s."""
        self._worker("scanner")
        return self.codes.wait(timeout)

    # -- self-test

    def self_test(self, kind: str, timeout: float | None = None) -> SelfTestResult:
        """Exercise one device as staff would (for the cuff: one full measurement)."""
        if kind not in KINDS:
            raise ValueError(f"unknown device kind {kind!r}")
        return run_self_test(self, kind, timeout)


def _with_idle(timing: WorkerTiming, interval: float) -> WorkerTiming:
    return dataclasses.replace(timing, idle_interval=interval)


def _probe_cuff(monitor: SunTechMonitor) -> None:
    monitor.probe()  # raises DeviceTimeout when the module is silent


def _probe_printer(printer: SerialTicketPrinter) -> Verdict:
    return printer_verdict(printer.status())


def _copy_outcome(source: Future[T], target: Future[T]) -> None:
    if not target.set_running_or_notify_cancel():
        return
    if source.cancelled():
        target.set_exception(DeviceUnavailable("the measurement was dropped"))
        return
    exc = source.exception()
    if exc is not None:
        target.set_exception(exc)
    else:
        target.set_result(source.result())


__all__ = ["BpMeasurement", "DeviceManager", "ManagerTiming", "PeripheralError"]
