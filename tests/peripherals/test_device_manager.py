"""DeviceManager with simulated devices: health, deadlines, unplug and recovery, events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peripherals.errors import (
    DeviceBusy,
    DeviceNotConfigured,
    DeviceTimeout,
    DeviceUnavailable,
    MeasurementCancelled,
    MeasurementTimeout,
)
from peripherals.manager import DeviceManager, ManagerTiming
from peripherals.models import CardEvent, Ticket
from peripherals.sim import SerialSimulator, run
from peripherals.sim.pcscd import PrivatePcscd

NO_DEVICES = {"bp_url": "", "card_reader": "", "printer_url": "", "scanner_url": ""}


@pytest.fixture
def sims() -> Iterator[Callable[..., SerialSimulator[Any]]]:
    started: list[SerialSimulator[Any]] = []

    def start(kind: str, scenario: str = "normal", **options: Any) -> SerialSimulator[Any]:
        if kind == "bp":
            options.setdefault("measure_time", 0.4)
        simulator = run(kind, scenario, **options)
        assert isinstance(simulator, SerialSimulator)
        started.append(simulator)
        return simulator

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def manager(fast_manager: ManagerTiming) -> Iterator[Callable[..., DeviceManager]]:
    made: list[DeviceManager] = []

    def make(**settings: str) -> DeviceManager:
        made.append(DeviceManager({**NO_DEVICES, **settings}, timing=fast_manager))
        made[-1].start()
        return made[-1]

    yield make
    for each in made:
        each.stop()


def device_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("device-")]


def test_construction_opens_nothing(tmp_path: Path, fast_manager: ManagerTiming) -> None:
    before = device_threads()
    manager = DeviceManager(
        {"bp_url": str(tmp_path / "tty"), "card_reader": ""}, timing=fast_manager
    )
    assert device_threads() == before
    health = manager.health()
    assert health["bp"].state == "unavailable"
    assert {health[k].state for k in ("card", "printer", "scanner")} == {"not_configured"}
    manager.stop()  # stopping a manager that never started is harmless


def test_every_device_not_configured(manager: Callable[..., DeviceManager]) -> None:
    devices = manager()
    assert {h.state for h in devices.health().values()} == {"not_configured"}
    with pytest.raises(DeviceNotConfigured):
        devices.measure_bp()
    result = devices.self_test("printer")
    assert not result.ok and "pas installé" in result.summary


def test_three_serial_devices_report_healthy(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    devices = manager(
        bp_url=sims("bp").url, printer_url=sims("printer").url, scanner_url=sims("scanner").url
    )
    assert wait_until(
        lambda: all(devices.health()[k].state == "ok" for k in ("bp", "printer", "scanner"))
    )
    as_json = devices.health()["bp"].to_dict()
    assert as_json["state"] == "ok" and as_json["error"] is None and "T" in as_json["since"]


def test_measure_with_live_pressure(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    devices = manager(bp_url=sims("bp").url)
    assert wait_until(lambda: devices.health()["bp"].state == "ok")
    pressures: list[int] = []
    reading = devices.measure_bp(pressures.append, deadline=5)
    assert (reading.systolic, reading.diastolic, reading.pulse, reading.mean) == (115, 74, 85, 88)
    assert max(pressures) > 100


def test_cancel_and_busy(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    bp = sims("bp", measure_time=30)
    devices = manager(bp_url=bp.url)
    assert wait_until(lambda: devices.health()["bp"].state == "ok")
    measurement = devices.start_bp_measurement()
    assert wait_until(lambda: (measurement.pressure or 0) > 0)
    with pytest.raises(DeviceBusy):
        devices.start_bp_measurement()
    devices.abort_bp()
    with pytest.raises(MeasurementCancelled):
        measurement.result(timeout=5)
    assert bp.device.aborts >= 1 and not bp.device.measuring


def test_deadline_bounds_the_wait(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    bp = sims("bp", measure_time=30)
    devices = manager(bp_url=bp.url)
    assert wait_until(lambda: devices.health()["bp"].state == "ok")
    started = time.monotonic()
    with pytest.raises(MeasurementTimeout):
        devices.measure_bp(deadline=0.5)
    assert time.monotonic() - started < 0.5 + devices.timing.abort_grace
    assert not bp.device.measuring


def test_a_stuck_job_never_holds_the_request(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    devices = manager(printer_url=sims("printer").url)
    assert wait_until(lambda: devices.health()["printer"].state == "ok")
    release = threading.Event()
    with pytest.raises(DeviceTimeout):
        devices.run_on("printer", lambda printer: release.wait(5), timeout=0.1)
    release.set()
    assert devices.printer_status(timeout=5).ok  # the thread is free again


@pytest.mark.parametrize("transport", ["pty", "socket"])
def test_killed_mid_measurement_then_healthy_again(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
    tmp_path: Path,
    transport: str,
) -> None:
    options: dict[str, Any] = {"transport": transport, "measure_time": 30}
    if transport == "pty":
        options["link_path"] = tmp_path / "kiosk-bp"  # stable name, like /dev/kiosk-bp
    bp = sims("bp", **options)
    devices = manager(bp_url=bp.url)
    assert wait_until(lambda: devices.health()["bp"].state == "ok")
    measurement = devices.start_bp_measurement(deadline=10)
    assert wait_until(lambda: measurement.pressure is not None)
    started = time.monotonic()
    bp.unplug()
    with pytest.raises(DeviceUnavailable) as caught:
        measurement.result(timeout=10)
    assert time.monotonic() - started < 10
    assert caught.value.user_message == "L'appareil n'est pas branché ou ne marche pas."
    health = devices.health()["bp"]
    assert health.state == "unavailable" and health.error == caught.value.user_message
    with pytest.raises(DeviceUnavailable):
        devices.measure_bp(deadline=1)  # fails at once while the cuff is gone

    bp.replug()
    assert wait_until(lambda: devices.health()["bp"].state == "ok", timeout=10)
    assert devices.health()["bp"].since > health.since
    bp.device.measure_time = 0.3
    assert devices.measure_bp(deadline=5).systolic == 115


def test_silent_cuff_is_unavailable(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    devices = manager(bp_url=sims("bp", "silent").url)
    assert wait_until(lambda: devices.health()["bp"].error == "L'appareil ne répond pas.")
    assert devices.health()["bp"].state == "unavailable"


@pytest.mark.parametrize(
    ("scenario", "state", "error"),
    [
        ("out_of_paper", "unavailable", "L'imprimante n'a plus de papier."),
        ("silent", "unknown", "L'imprimante ne répond pas quand on lui demande son état."),
        ("paper_low", "ok", "Le papier va bientôt manquer."),
    ],
)
def test_printer_health_follows_its_status(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
    scenario: str,
    state: str,
    error: str,
) -> None:
    devices = manager(printer_url=sims("printer", scenario).url)
    assert wait_until(lambda: devices.health()["printer"].error == error)
    assert devices.health()["printer"].state == state


def test_missing_printer_fails_fast(manager: Callable[..., DeviceManager], tmp_path: Path) -> None:
    devices = manager(printer_url=str(tmp_path / "no-printer"))
    with pytest.raises(DeviceUnavailable):
        devices.print_ticket(Ticket("Mairie", "lundi", "A1", "x"), timeout=5)


def test_scanned_codes_reach_listeners_and_waiters(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    scanner = sims("scanner", "crlf")
    devices = manager(scanner_url=scanner.url)
    assert wait_until(lambda: devices.health()["scanner"].state == "ok")
    heard: list[str] = []
    unsubscribe = devices.codes.subscribe(heard.append)
    scanner.device.emit("RDV-0042")
    assert devices.wait_for_code(timeout=5) == "RDV-0042"
    assert heard == ["RDV-0042"]
    assert devices.wait_for_code(timeout=0.1) is None
    unsubscribe()
    scanner.device.emit("RDV-0043")
    assert devices.wait_for_code(timeout=5) == "RDV-0043"
    assert heard == ["RDV-0042"]


def test_self_tests(
    manager: Callable[..., DeviceManager],
    sims: Callable[..., SerialSimulator[Any]],
    wait_until: Callable[..., bool],
) -> None:
    printer = sims("printer")
    devices = manager(
        bp_url=sims("bp").url, printer_url=printer.url, scanner_url=sims("scanner").url
    )
    assert wait_until(
        lambda: all(devices.health()[k].state == "ok" for k in ("bp", "printer", "scanner"))
    )
    bp = devices.self_test("bp", timeout=5)
    assert bp.ok and bp.summary == "115/74 mmHg, pouls 85, moyenne 88"
    assert bp.reading is not None and bp.reading.pulse == 85
    assert devices.self_test("printer", timeout=5).ok
    assert wait_until(lambda: b"Test de l'imprimante" in printer.device.printed())
    scanner = devices.self_test("scanner", timeout=0.1)
    assert scanner.ok and "aucun code" in scanner.summary


def test_stop_joins_every_thread(
    fast_manager: ManagerTiming, sims: Callable[..., SerialSimulator[Any]]
) -> None:
    devices = DeviceManager(
        {"bp_url": sims("bp").url, "scanner_url": sims("scanner").url}, timing=fast_manager
    )
    devices.start()
    assert len(device_threads()) == 2
    devices.stop()
    assert device_threads() == []


# -- card, through the real pcscd ---------------------------------------------------


def test_card_events_and_read(
    pcscd: str,
    virtual_readers: PrivatePcscd,
    card_slot: int,
    manager: Callable[..., DeviceManager],
    wait_until: Callable[..., bool],
) -> None:
    devices = manager(card_reader=pcscd)
    assert wait_until(lambda: devices.health()["card"].state == "ok", timeout=10)
    events: list[CardEvent] = []
    devices.card_events.subscribe(events.append)
    assert devices.card_present() is False

    card = run("card", "family", readers=virtual_readers, slot=card_slot)
    try:
        assert wait_until(lambda: [e.kind for e in events] == ["inserted"], timeout=10)
        assert events[0].reader == pcscd
        contents = devices.read_card(timeout=10)
        assert len(contents.beneficiaries) == 3
        result = devices.self_test("card", timeout=10)
        assert result.ok and "3 bénéficiaire(s)" in result.summary
        assert "MARTIN" not in result.summary  # no personal data in staff output
    finally:
        card.stop()
    assert wait_until(lambda: [e.kind for e in events] == ["inserted", "removed"], timeout=10)
    assert devices.card_present() is False
