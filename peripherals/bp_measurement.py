"""Handle on a blood-pressure measurement running on the cuff's device thread."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from peripherals.errors import DeviceTimeout
from peripherals.models import BloodPressureReading

# A fall from the highest pressure that means the cuff lets the air out (not a wobble).
DEFLATING_DROP = 5


class BpMeasurement:
    """A measurement running on the cuff's thread.

    Poll :attr:`pressure` (and :attr:`deflating`) for the live display, call
    :meth:`cancel` when the person leaves (the cuff deflates), and :meth:`result`
    to wait, boundedly.
    """

    def __init__(self, cancel: threading.Event) -> None:
        self.pressure: int | None = None
        self.peak = 0
        self.cancel_event = cancel
        self.future: Future[BloodPressureReading] = Future()

    def record(self, mmhg: int) -> None:
        """A live cuff pressure, from the cuff's thread."""
        self.peak = max(self.peak, mmhg)
        self.pressure = mmhg

    @property
    def deflating(self) -> bool:
        """True once the pressure has fallen back from its highest: the cuff first inflates,
        then lets the air out slowly while it measures."""
        return self.pressure is not None and self.peak - self.pressure >= DEFLATING_DROP

    def cancel(self) -> None:
        """Stop the measurement; the driver sends Abort so the cuff deflates."""
        self.cancel_event.set()

    def done(self) -> bool:
        """True once a reading or an error is available."""
        return self.future.done()

    def result(self, timeout: float) -> BloodPressureReading:
        """Wait at most ``timeout`` s; on expiry cancel the measurement and raise DeviceTimeout."""
        try:
            return self.future.result(timeout)
        except FutureTimeout:
            self.cancel()
            raise DeviceTimeout("no blood-pressure result in time") from None
