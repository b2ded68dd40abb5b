"""Printer status (silence is "unknown") and the scanner's line protocol, over real ptys."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from peripherals.errors import DeviceUnavailable, OutOfPaper, PrinterOffline
from peripherals.models import PrinterStatus, Ticket
from peripherals.printer import SerialTicketPrinter, decode_online, decode_paper
from peripherals.scanner import LineDecoder, SerialCodeScanner
from peripherals.sim import SerialSimulator, run
from peripherals.ticket import render

TICKET = Ticket("Mairie", "lundi trois mars à neuf heures", "A1B2", "https://k/A1B2")


@pytest.fixture
def sim() -> Iterator[Callable[..., SerialSimulator[Any]]]:
    started: list[SerialSimulator[Any]] = []

    def start(kind: str, scenario: str = "normal") -> SerialSimulator[Any]:
        simulator = run(kind, scenario)
        assert isinstance(simulator, SerialSimulator)
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


@pytest.mark.parametrize(
    ("scenario", "online", "paper", "state"),
    [
        ("normal", True, "ok", "ok"),
        ("paper_low", True, "low", "paper_low"),
        ("out_of_paper", False, "out", "out_of_paper"),
        ("offline", False, "ok", "offline"),
        ("silent", None, "unknown", "unknown"),
    ],
)
def test_status_from_dle_eot(
    sim: Callable[..., SerialSimulator[Any]],
    scenario: str,
    online: bool | None,
    paper: str,
    state: str,
) -> None:
    printer_sim = sim("printer", scenario)
    with SerialTicketPrinter(printer_sim.url, status_timeout=0.3) as printer:
        status = printer.status()
    assert (status.online, status.paper, status.state) == (online, paper, state)
    assert status.ok is (state in ("ok", "paper_low"))
    assert printer_sim.device.printed() == b""  # status queries are not printed


def test_a_silent_printer_is_never_reported_ok() -> None:
    assert PrinterStatus(online=None, paper="unknown").ok is False
    assert PrinterStatus(online=True, paper="unknown").state == "unknown"
    assert decode_online(None) is None and decode_paper(None) == "unknown"
    assert decode_paper(0xFF) == "unknown"  # not a status byte at all


def test_ticket_bytes_reach_the_printer_exactly(sim: Callable[..., SerialSimulator[Any]]) -> None:
    printer_sim = sim("printer")
    with SerialTicketPrinter(printer_sim.url, status_timeout=0.3) as printer:
        status = printer.print_ticket(TICKET)
        assert status.ok
        printer.status()  # a round trip, so the job has surely been read by the sim
    assert printer_sim.device.printed() == render(TICKET)
    assert printer_sim.device.status_queries == [1, 4, 1, 4]


def test_silent_printer_still_prints_and_says_unknown(
    sim: Callable[..., SerialSimulator[Any]],
) -> None:
    printer_sim = sim("printer", "silent")
    with SerialTicketPrinter(printer_sim.url, status_timeout=0.2) as printer:
        assert printer.print_ticket(TICKET).state == "unknown"


@pytest.mark.parametrize(
    ("scenario", "error"), [("out_of_paper", OutOfPaper), ("offline", PrinterOffline)]
)
def test_printer_refusing_a_ticket(
    sim: Callable[..., SerialSimulator[Any]], scenario: str, error: type[Exception]
) -> None:
    printer_sim = sim("printer", scenario)
    with SerialTicketPrinter(printer_sim.url, status_timeout=0.3) as printer:
        with pytest.raises(error):
            printer.print_ticket(TICKET)
    assert printer_sim.device.printed() == b""


def test_printer_unplugged(sim: Callable[..., SerialSimulator[Any]]) -> None:
    printer_sim = sim("printer")
    with SerialTicketPrinter(printer_sim.url, status_timeout=0.3) as printer:
        printer_sim.unplug()
        with pytest.raises(DeviceUnavailable):
            printer.print_ticket(TICKET)


@pytest.mark.parametrize("scenario", ["normal", "crlf", "split", "garbage"])
def test_scanner_yields_each_code_once(
    sim: Callable[..., SerialSimulator[Any]], scenario: str
) -> None:
    scanner_sim = sim("scanner", scenario)
    with SerialCodeScanner(scanner_sim.url) as scanner:
        assert scanner.read_code(timeout=0.1) is None
        scanner_sim.device.emit("https://kiosk.example/t/K74Q")
        scanner_sim.device.emit("RDV-2025-0042")
        assert scanner.read_code(timeout=3) == "https://kiosk.example/t/K74Q"
        assert scanner.read_code(timeout=3) == "RDV-2025-0042"
        assert scanner.read_code(timeout=0.2) is None


def test_scanner_code_stream_until_stopped(sim: Callable[..., SerialSimulator[Any]]) -> None:
    scanner_sim = sim("scanner")
    stop = threading.Event()
    safety = threading.Timer(10, stop.set)  # bounds the loop if codes never come
    safety.start()
    got: list[str] = []
    try:
        with SerialCodeScanner(scanner_sim.url) as scanner:
            scanner_sim.device.emit("A-1")
            scanner_sim.device.emit("B-2")
            for code in scanner.codes(stop):
                got.append(code)
                if len(got) == 2:
                    stop.set()
    finally:
        safety.cancel()
        safety.join()
    assert got == ["A-1", "B-2"]


def test_scanner_unplugged(sim: Callable[..., SerialSimulator[Any]]) -> None:
    scanner_sim = sim("scanner")
    with SerialCodeScanner(scanner_sim.url) as scanner:
        scanner_sim.unplug()
        with pytest.raises(DeviceUnavailable):
            scanner.read_code(timeout=2)


def test_line_decoder_edges() -> None:
    decoder = LineDecoder(max_line=8)
    assert decoder.feed(b"AB") == []
    assert decoder.feed(b"C\r\n\r\n") == ["ABC"]
    assert decoder.feed(b"\xff\xfe\r") == []  # not UTF-8: dropped
    assert decoder.feed(b"0123456789ABC\rOK\r") == ["OK"]  # the overlong line is dropped
    assert decoder.feed(b"\x1b[Acode\x07\n") == ["[Acode"]  # control characters stripped
    assert decoder.dropped_lines == 2
