"""The kiosk's devices as tests hold them: a unit with the simulated cuff, and the card slot.

Both speak the real bytes (peripherals.sim): the cuff on a pty, the Carte Vitale through the
run's private pcscd (tests/conftest.py ``virtual_readers``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from support import wait_until

from kiosk import create_app
from kiosk.core import runtime
from kiosk.core.db import get_db
from peripherals import sim
from peripherals.sim import CardSimulator, SerialSimulator
from peripherals.sim.pcscd import PrivatePcscd
from peripherals.sim.suntech_device import SunTechDevice

Cuff = SerialSimulator[SunTechDevice]


@contextmanager
def cuff_unit(settings: dict[str, Any], scenario: str = "normal", deadline: int = 30,
              **options: Any) -> Iterator[tuple[Flask, Cuff]]:
    """A kiosk unit with the cuff in ``scenario`` (other keywords go to the cuff: reading=,
    measure_time=, 0.3 s unless given), no rest or wait between readings, ``deadline`` seconds
    for a reading (bp_deadline_seconds), speech off. Its devices run, and the kiosk sees the
    cuff answering before the unit is handed over; all of it stops afterwards."""
    cuff = sim.run("bp", scenario, **{"measure_time": 0.3, **options})
    app = create_app({**settings, "bp_url": cuff.url, "bp_rest_seconds": 0,
                      "bp_interval_seconds": 0, "bp_deadline_seconds": deadline,
                      "speech_enabled": False})
    runtime.start(app)
    try:
        wait_until(lambda: app.test_client().get("/healthz").json["devices"]["bp"]["state"]
                   == "ok")
        yield app, cuff
    finally:
        runtime.stop(app)
        cuff.stop()
        get_db(app).dispose()


class CardSlot:
    """The slot of the kiosk's card reader: the first virtual reader of the run's pcscd.

    A unit reads it with ``card_reader=CardSlot.READER``. ``put_in`` starts a simulated card
    (a peripherals.sim card scenario) in it; ``empty`` takes every card out (the fixture
    ``card_slot`` does it after each test)."""

    READER = "Virtual PCD 00 00"

    def __init__(self, readers: PrivatePcscd) -> None:
        self.readers = readers
        self.card: CardSimulator | None = None
        self.cards: list[CardSimulator] = []

    def put_in(self, scenario: str = "normal") -> CardSimulator:
        """Put a card of ``scenario`` in the slot; one of that scenario already there stays
        (the screens ask to leave it in) or goes back in, another is taken out first."""
        if self.card is not None and self.card.scenario == scenario:
            self.card.insert()
            return self.card
        self.empty()
        self.card = sim.run("card", scenario, readers=self.readers, slot=0)
        self.cards.append(self.card)
        return self.card

    def empty(self) -> None:
        for card in self.cards:
            card.stop()
        self.cards.clear()
        self.card = None
