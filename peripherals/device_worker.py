"""One thread that owns one device: opens it, reopens it with backoff, runs its jobs.

Every call that touches the device runs on this thread (drivers are not
thread-safe, and a serial port has one user), so a web request only ever waits
on a Future, with a timeout.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from peripherals.errors import DeviceTimeout, DeviceUnavailable, PeripheralError
from peripherals.interfaces import Device
from peripherals.models import DeviceHealth, HealthState

log = logging.getLogger(__name__)

D = TypeVar("D", bound=Device)
T = TypeVar("T")

# Errors that mean the device itself is gone: close it and reopen with backoff.
LOST = (DeviceUnavailable, DeviceTimeout)


@dataclass(frozen=True, slots=True)
class WorkerTiming:
    """Backoff and polling periods for one device thread."""

    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    idle_interval: float = 0.25
    probe_interval: float = 10.0
    stop_timeout: float = 10.0


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# A probe's verdict: a state and plain-French error, or None for "ok".
Verdict = tuple[HealthState, str | None] | None
Probe = Callable[[D], Verdict]


class DeviceWorker(Generic[D]):
    """Owns one device on its own thread.

    ``factory`` builds a closed driver; ``probe`` (run after opening and every
    ``probe_interval``) may report a state other than "ok" — a printer out of
    paper — or raise a LOST error; ``idle`` runs between jobs (poll the card,
    read the scanner).
    """

    def __init__(
        self,
        kind: str,
        factory: Callable[[], D],
        *,
        timing: WorkerTiming,
        probe: Probe[D] | None = None,
        idle: Callable[[D], None] | None = None,
    ) -> None:
        self.kind = kind
        self._factory = factory
        self.timing = timing
        self._probe = probe
        self._idle = idle
        self._jobs: queue.SimpleQueue[tuple[Callable[[D], Any], Future[Any]]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._open = False
        self._opened = threading.Event()  # set while the device is open
        self._last_probe = 0.0
        self._health = DeviceHealth(
            kind, "unavailable", "L'appareil n'est pas encore ouvert.", _utc_now()
        )

    # -- called from any thread ---------------------------------------------

    def start(self) -> None:
        """Start the thread; it opens the device."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"device-{self.kind}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Ask the thread to finish its job, close the device and exit; wait for it."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(self.timing.stop_timeout)
            if thread.is_alive():
                log.error("device thread %s did not stop in time", self.kind)
        self._fail_pending(DeviceUnavailable(f"{self.kind} stopped"))

    def health(self) -> DeviceHealth:
        """The device's current health."""
        with self._lock:
            return self._health

    def wait_open(self, timeout: float) -> bool:
        """Wait until the device is open (at most ``timeout`` seconds); True if it is."""
        return self._opened.wait(timeout)

    def submit(self, job: Callable[[D], T]) -> Future[T]:
        """Queue ``job(device)`` for the device thread; fails at once if the device is not open."""
        future: Future[T] = Future()
        with self._lock:
            is_open, health = self._open, self._health
        if not is_open or self._stop.is_set():
            future.set_exception(
                DeviceUnavailable(
                    f"{self.kind} is not available",
                    user_message=health.error or DeviceUnavailable.user_message,
                )
            )
            return future
        self._jobs.put((job, future))
        return future

    # -- device thread ----------------------------------------------------------

    def _set_health(self, state: HealthState, error: str | None) -> None:
        with self._lock:
            if (self._health.state, self._health.error) != (state, error):
                self._health = DeviceHealth(self.kind, state, error, _utc_now())
                log.info("device %s: %s %s", self.kind, state, error or "")

    def _lost(self, device: D | None, exc: Exception) -> None:
        log.warning("device %s lost: %s", self.kind, exc)
        with self._lock:
            self._open = False
            self._opened.clear()
        if device is not None:
            device.close()
        if not isinstance(exc, PeripheralError):
            exc = DeviceUnavailable(f"{self.kind} failed: {exc!r}")
        self._set_health("unavailable", exc.user_message)
        self._fail_pending(exc)

    def _fail_pending(self, exc: PeripheralError) -> None:
        while True:
            try:
                _, future = self._jobs.get_nowait()
            except queue.Empty:
                return
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)

    def _run(self) -> None:
        backoff = self.timing.backoff_initial
        device: D | None = None
        try:
            while not self._stop.is_set():
                if device is None:
                    device = self._try_open()
                    if device is None:
                        self._stop.wait(backoff)
                        backoff = min(backoff * 2, self.timing.backoff_max)
                        continue
                    backoff = self.timing.backoff_initial
                if not self._serve(device):
                    device = None
        finally:
            if device is not None:
                device.close()
            with self._lock:
                self._open = False
                self._opened.clear()

    def _try_open(self) -> D | None:
        device: D | None = None
        try:
            device = self._factory()
            device.open()
            self._check(device)
        except Exception as exc:  # any failure to open is "unavailable, retry later"
            if not isinstance(exc, LOST):
                log.exception("device %s could not be opened", self.kind)
            self._lost(device, exc)
            return None
        with self._lock:
            self._open = True
            self._opened.set()
        self._last_probe = time.monotonic()
        return device

    def _check(self, device: D) -> None:
        verdict = self._probe(device) if self._probe else None
        self._set_health(*(verdict or ("ok", None)))

    def _serve(self, device: D) -> bool:
        """Run one job or one idle round; False when the device was lost."""
        try:
            job, future = self._jobs.get(timeout=self.timing.idle_interval)
        except queue.Empty:
            job = None
        if job is not None:
            return self._run_job(device, job, future)
        try:
            if self._idle:
                self._idle(device)
            if self._probe and time.monotonic() >= self._last_probe + self.timing.probe_interval:
                self._last_probe = time.monotonic()
                self._check(device)
        except LOST as exc:
            self._lost(device, exc)
            return False
        except PeripheralError as exc:
            log.warning("device %s: %s", self.kind, exc)
        except Exception as exc:  # a driver bug: start afresh rather than die silently
            log.exception("device %s failed", self.kind)
            self._lost(device, exc)
            return False
        return True

    def _run_job(self, device: D, job: Callable[[D], Any], future: Future[Any]) -> bool:
        """Run one job; False when it found the device gone."""
        if not future.set_running_or_notify_cancel():
            return True
        try:
            result = job(device)
        except LOST as exc:
            # Health first: whoever sees this error must also see it in health().
            self._lost(device, exc)
            future.set_exception(exc)
            return False
        except BaseException as exc:  # the caller gets every error, the thread lives on
            future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        else:
            future.set_result(result)
        return True
