"""``python -m peripherals.sim`` and ``peripherals.sim.run``, used the way the demo uses them."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from peripherals.scanner import SerialCodeScanner
from peripherals.sim import KINDS, SCENARIOS, run
from peripherals.sim.__main__ import main
from peripherals.suntech import SunTechMonitor, SunTechTiming

UDEV_RULES = Path(__file__).parents[2] / "deploy" / "udev" / "99-kiosk.rules"


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Started as a script's background job would start it: with SIGINT ignored, which a child
    inherits. Ctrl-C (``interrupt``) must stop it all the same."""
    process = subprocess.Popen(
        [sys.executable, "-m", "peripherals.sim", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint,
    )
    assert process.stdout is not None
    first_line = process.stdout.readline()
    match = re.search(r"=(\S+)$", first_line.strip())
    assert match, f"no URL in {first_line!r}"
    return process, match.group(1)


def interrupt(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    return process.returncode, err


def test_cli_bp_prints_a_url_that_measures_115_over_74(fast_bp: SunTechTiming) -> None:
    process, url = start_cli("bp", "--scenario", "normal", "--measure-time", "0.5")
    try:
        with SunTechMonitor(url, timing=fast_bp) as monitor:
            reading = monitor.measure(deadline=20)
        assert (reading.systolic, reading.diastolic) == (115, 74)
    finally:
        code, err = interrupt(process)
    assert code == 0, err


def test_cli_socket_transport(fast_bp: SunTechTiming) -> None:
    process, url = start_cli("bp", "--socket")
    try:
        assert url.startswith("socket://127.0.0.1:")
        with SunTechMonitor(url, timing=fast_bp) as monitor:
            assert "SunTech" in monitor.probe()
    finally:
        code, err = interrupt(process)
    assert code == 0, err


def test_cli_scanner_scans_what_is_typed() -> None:
    process, url = start_cli("scanner")
    try:
        with SerialCodeScanner(url) as scanner:
            assert process.stdin is not None
            process.stdin.write("RDV-7\n")
            process.stdin.flush()
            assert scanner.read_code(timeout=10) == "RDV-7"
    finally:
        code, err = interrupt(process)
    assert code == 0, err


def test_cli_rejects_an_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bp", "--scenario", "hiccups"]) == 2
    assert "loose_cuff" in capsys.readouterr().err


def test_cli_in_process_stops_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    stop.set()
    assert main(["printer", "--scenario", "silent"], stop=stop) == 0
    assert "KIOSK_PRINTER_URL=/dev/pts/" in capsys.readouterr().out


def test_run_lists_the_issue_scenarios() -> None:
    assert set(KINDS) == {"bp", "card", "printer", "scanner"}
    assert {
        "normal", "loose_cuff", "movement", "weak_signal", "unplugged",
        "garbage", "silent", "slow", "busy",
    } <= set(SCENARIOS["bp"])  # fmt: skip
    assert {"family", "corsican", "bad_key", "not_vitale", "pulled_out"} <= set(SCENARIOS["card"])
    with pytest.raises(ValueError, match="choose from"):
        run("bp", "nope")
    with pytest.raises(ValueError, match="unknown simulator kind"):
        run("toaster")


def test_stable_link_path_survives_replug(tmp_path: Path, fast_bp: SunTechTiming) -> None:
    link = tmp_path / "kiosk-bp"
    with run("bp", link_path=link, measure_time=0.2) as sim:
        assert sim.url == str(link) and link.is_symlink()
        sim.unplug()
        assert not link.exists()  # like udev removing /dev/kiosk-bp on unplug
        sim.replug()
        with SunTechMonitor(str(link), timing=fast_bp) as monitor:
            assert monitor.measure().systolic == 115
    assert not link.exists()


def test_udev_rules_give_the_three_stable_names() -> None:
    rules = [
        line
        for line in UDEV_RULES.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    devices = [line for line in rules if "SYMLINK+=" in line]
    names = sorted(name for d in devices for name in re.findall(r'SYMLINK\+="([^"]+)"', d))
    assert names == ["kiosk-bp", "kiosk-printer", "kiosk-scanner"]
    for line in devices:
        assert 'GROUP="dialout"' in line and 'MODE="0660"' in line
        assert 'ENV{ID_MM_DEVICE_IGNORE}="1"' in line
        assert re.search(r'ATTRS\{idVendor\}=="[0-9a-f]{4}"', line)
        assert re.search(r'ATTRS\{idProduct\}=="[0-9a-f]{4}"', line)
    assert 'SUBSYSTEM!="tty", GOTO="kiosk_end"' in rules
    assert rules[-1] == 'LABEL="kiosk_end"'
