"""Card insert/remove events and scanned codes, fanned out to listeners.

Both are fed from a device thread (the manager's card and scanner workers);
listeners are called on that thread, so they must be quick (queue work, set a
flag) and a failing listener is logged, never allowed to stop the device.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from peripherals.interfaces import CardReader, CodeScanner
from peripherals.models import CardEvent

log = logging.getLogger(__name__)

E = TypeVar("E")


class Listeners(Generic[E]):
    """A thread-safe list of callbacks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[E], None]] = []

    def subscribe(self, callback: Callable[[E], None]) -> Callable[[], None]:
        """Add ``callback``; return a function that removes it again."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def emit(self, event: E) -> None:
        """Call every listener with ``event``; a listener's exception is logged."""
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # one broken screen must not silence the reader
                log.exception("listener %r failed", callback)


class CardEvents(Listeners[CardEvent]):
    """Turns presence polls into "inserted" / "removed" events.

    The last known presence survives a reader reopen, so a pcscd restart does not
    announce the card in the slot a second time. A card already in the reader at
    start-up is announced once as "inserted".
    """

    def __init__(self) -> None:
        super().__init__()
        self.present = False
        self.last_event: CardEvent | None = None

    def poll(self, reader: CardReader) -> None:
        """Look at the reader once and emit an event if the presence changed."""
        present = reader.card_present()
        if present == self.present:
            return
        self.present = present
        event = CardEvent(
            "inserted" if present else "removed", reader.reader_name, dt.datetime.now(dt.UTC)
        )
        self.last_event = event
        self.emit(event)


class CodeInbox(Listeners[str]):
    """Codes read by the scanner: pushed to listeners and kept briefly for :meth:`wait`."""

    def __init__(self, max_age: float = 30.0, size: int = 16) -> None:
        super().__init__()
        self.max_age = max_age
        self._codes: deque[tuple[float, str]] = deque(maxlen=size)
        self._ready = threading.Condition()

    def collect(self, scanner: CodeScanner) -> None:
        """Take every complete code from the scanner without waiting for more."""
        while (code := scanner.read_code(timeout=0)) is not None:
            self.put(code)

    def put(self, code: str) -> None:
        """Record a scanned code and tell the listeners."""
        with self._ready:
            self._codes.append((time.monotonic(), code))
            self._ready.notify_all()
        self.emit(code)

    def wait(self, timeout: float) -> str | None:
        """Return the oldest code younger than ``max_age``, waiting up to ``timeout`` s."""
        with self._ready:
            self._ready.wait_for(self._fresh, timeout)
            return self._codes.popleft()[1] if self._fresh() else None

    def _fresh(self) -> bool:
        # A code scanned long ago (nobody was waiting) must not check in someone later.
        limit = time.monotonic() - self.max_age
        while self._codes and self._codes[0][0] < limit:
            self._codes.popleft()
        return bool(self._codes)
