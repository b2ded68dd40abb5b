"""The device manager inside the serving process, and the card events screens poll.

Registered by the app factory as one of the worker's parts (``kiosk.core.runtime``): it
starts after gunicorn forks, never at import or in the factory (SECURITY.md item 12).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from flask import Flask

from kiosk.devices.service import forget_address, write_address
from peripherals.manager import DeviceManager
from peripherals.models import CardEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeenCardEvent:
    """A card event with its order number, so a page asks only for what came after it."""

    seq: int
    kind: str
    at: datetime


class CardWatch:
    """The latest card events, numbered; screens poll it for what happened since they loaded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0
        self._latest: SeenCardEvent | None = None

    def record(self, event: CardEvent) -> None:
        with self._lock:
            self._seq += 1
            self._latest = SeenCardEvent(self._seq, event.kind, event.at)

    @property
    def seq(self) -> int:
        with self._lock:
            return self._seq

    def since(self, seq: int) -> SeenCardEvent | None:
        """The latest event if it came after ``seq``."""
        with self._lock:
            latest = self._latest
        return latest if latest is not None and latest.seq > seq else None


def start(app: Flask) -> None:
    """Start the devices and watch the card reader."""
    if "kiosk_devices" in app.extensions:
        return
    settings = app.config["KIOSK"]
    manager = DeviceManager(settings)
    watch = CardWatch()
    manager.card_events.subscribe(watch.record)
    app.extensions["kiosk_card_watch"] = watch
    app.extensions["kiosk_devices"] = manager
    manager.start()
    log.info("devices started: %s", ", ".join(manager.workers) or "none configured")
    write_address(settings)  # so `kiosk devices` finds this kiosk on whatever port it listens


def stop(app: Flask) -> None:
    """Stop the devices (the cuff deflates if a measurement runs)."""
    manager = app.extensions.pop("kiosk_devices", None)
    if manager is not None:
        manager.stop()
        forget_address(app.config["KIOSK"])
