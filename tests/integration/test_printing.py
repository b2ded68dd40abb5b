"""The printing service over the ESC/POS simulator on a pty: every outcome has its kind and its
plain sentence, and only a printer that said it was ready counts as printed (issue 14)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from support import wait_until

from kiosk import create_app
from kiosk.core import runtime
from kiosk.core.config import ConfigError
from kiosk.core.db import get_db
from kiosk.devices import printing
from peripherals import sim
from peripherals.errors import PeripheralError
from peripherals.models import Ticket

TICKET = Ticket(site="Mairie", when="Jeudi 3 décembre à 8 h 30", code="K7P2QX",
                qr_payload="K7P2QX", lines=("Ligne de test",))


@pytest.fixture
def printer_unit(settings: dict, request: pytest.FixtureRequest) -> Iterator[tuple[Flask, Any]]:
    printer = sim.run("printer", request.param)
    app = create_app({**settings, "printer_url": printer.url, "card_reader": "",
                      "speech_enabled": False, "print_timeout_seconds": 5})
    runtime.start(app)
    # The device worker has opened the printer and answers jobs.
    wait_until(lambda: _answers(app), timeout=10)
    yield app, printer
    runtime.stop(app)
    printer.stop()
    get_db(app).dispose()


def _answers(app: Flask) -> bool:
    try:
        app.extensions["kiosk_devices"].printer_status(timeout=2)
    except PeripheralError:
        return False
    return True


@pytest.mark.parametrize(("printer_unit", "kind", "sentence", "paper"), [
    ("normal", "printed", "Prenez votre ticket.", True),
    ("paper_low", "printed", "Prenez votre ticket.", True),
    ("out_of_paper", "no_paper", "L'imprimante n'a plus de papier.", False),
    ("cover_open", "cover_open", "Le capot de l'imprimante est ouvert.", False),
    ("offline", "offline", "L'imprimante ne marche pas.", False),
], indirect=["printer_unit"])
def test_each_printer_state_gives_its_outcome_and_sentence(
    printer_unit: tuple[Flask, Any], kind: str, sentence: str, paper: bool,
) -> None:
    app, printer = printer_unit
    with app.test_request_context():
        outcome = printing.print_ticket(TICKET)
        assert (outcome.kind, outcome.sentence, outcome.printed) == (kind, sentence, kind ==
                                                                      "printed")
    # The bytes on the pty: the code reached the paper only when it printed.
    if paper:
        wait_until(lambda: b"K7P2QX" in printer.device.printed(), timeout=5)
    else:
        time.sleep(0.5)
        assert b"K7P2QX" not in printer.device.printed()


@pytest.mark.parametrize("printer_unit", ["silent"], indirect=True)
def test_a_printer_that_says_nothing_is_not_taken_as_printed(
    printer_unit: tuple[Flask, Any],
) -> None:
    """Silence is never success (DEVICES.md §5): the device manager holds a printer that
    never answers as unavailable."""
    app, printer = printer_unit
    with app.test_request_context():
        outcome = printing.print_ticket(TICKET)
    assert outcome.kind in ("offline", "unknown") and not outcome.printed
    assert outcome.sentence in ("L'imprimante ne marche pas.",
                                "L'imprimante ne dit pas si le ticket est sorti.")


def test_without_a_printer_the_outcome_is_offline(app: Flask) -> None:
    with app.test_request_context():
        assert printing.print_ticket(TICKET).kind == "offline"


def test_the_print_timeout_is_a_setting(settings: dict) -> None:
    app = create_app({**settings, "print_timeout_seconds": 3})
    with app.app_context():
        assert printing.timeout() == 3.0
    with pytest.raises(ConfigError):
        create_app({**settings, "print_timeout_seconds": 0})
