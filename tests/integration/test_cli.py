"""The `kiosk` command: config show, db upgrade, seed-demo, and the demo server itself."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from demo_server import free_port
from flask.testing import FlaskCliRunner

from kiosk.cli.main import cli, gunicorn_command
from peripherals import sim
from peripherals.sim.pcscd import PrivatePcscd


def test_config_show_names_each_value_and_its_source(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nsite_name = "Pharmacie du Centre"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["--config", str(config), "config", "show"],
        env={"KIOSK_IDLE_SECONDS": "90", "KIOSK_DATA_DIR": str(tmp_path), "KIOSK_CONFIG": ""},
    )
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "Pharmacie du Centre" in lines["site_name"] and f"file {config}" in lines["site_name"]
    assert "90" in lines["idle_seconds"] and "env KIOSK_IDLE_SECONDS" in lines["idle_seconds"]
    assert lines["bind"].rstrip().endswith("default")


def test_a_bad_setting_stops_the_command_with_its_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["config", "show"], env={"KIOSK_WARNING_SECONDS": "5", "KIOSK_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code != 0
    assert "warning_seconds" in result.output


def test_db_upgrade_then_seed_demo(tmp_path: Path) -> None:
    env = {"KIOSK_DATA_DIR": str(tmp_path / "fresh")}
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    first = runner.invoke(cli, ["seed-demo"], env=env)
    assert first.exit_code == 0 and "demo data created" in first.output
    again = runner.invoke(cli, ["seed-demo"], env=env)
    assert "already present; 0 new slots" in again.output


def test_seed_demo_works_through_the_app_runner(runner: FlaskCliRunner) -> None:
    assert "demo data created" in runner.invoke(cli, ["seed-demo"]).output


def test_run_uses_gunicorn_with_the_kiosk_settings() -> None:
    argv, _env = gunicorn_command()
    assert argv[1:3] == ["-m", "gunicorn"]
    assert "python:kiosk.gunicorn_conf" in argv and argv[-1] == "kiosk.wsgi:app"


def test_unit_mode_is_one_worker_with_threads(monkeypatch) -> None:
    import importlib

    import kiosk.gunicorn_conf as conf

    monkeypatch.setenv("KIOSK_MODE", "unit")
    monkeypatch.setenv("KIOSK_WORKERS", "4")
    importlib.reload(conf)
    assert (conf.workers, conf.worker_class) == (1, "gthread") and conf.threads >= 2
    monkeypatch.setenv("KIOSK_MODE", "server")
    importlib.reload(conf)
    assert conf.workers == 4


def kiosk_command(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    kiosk = Path(sys.executable).parent / "kiosk"
    done = subprocess.run(
        [str(kiosk), *args],
        env={**os.environ, **env},
        timeout=timeout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_devices_test_alone_opens_the_devices_and_waits_for_them(
    tmp_path: Path, virtual_readers: PrivatePcscd
) -> None:
    """Issue 13: with no kiosk running, `kiosk devices test bp` failed at once ("L'appareil
    n'est pas encore ouvert.") instead of waiting for the cuff it had just opened."""
    cuff = sim.run("bp", "normal", measure_time=0.3)
    printer = sim.run("printer", "normal")
    card = sim.run("card", "family", readers=virtual_readers, slot=0)
    env = {
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_BIND": f"127.0.0.1:{free_port()}",  # nothing listens there: no kiosk runs
        "KIOSK_BP_URL": cuff.url,
        "KIOSK_PRINTER_URL": printer.url,
        "KIOSK_CARD_READER": card.url,
        **virtual_readers.env,
    }
    try:
        states = kiosk_command("devices", env=env)
        tested = kiosk_command("devices", "test", "bp", "printer", "card", env=env)
    finally:
        for simulator in (card, printer, cuff):
            simulator.stop()
    assert "opened by this command (no kiosk running)" in states
    for kind in ("bp", "card", "printer"):
        assert re.search(rf"^  {kind} +ok", states, re.MULTILINE), states
    assert re.search(r"^  bp +ok +115/74 mmHg, pouls 85, moyenne 88", tested, re.MULTILINE), tested
    assert re.search(r"^  printer +ok ", tested, re.MULTILINE), tested
    assert re.search(r"^  card +ok .*3 bénéficiaire", tested, re.MULTILINE), tested


def test_simulate_runs_a_cuff_that_the_driver_reads(tmp_path: Path) -> None:
    """`kiosk simulate bp --socket` prints its URL; the SunTech driver gets the golden reading."""
    from peripherals.suntech import SunTechMonitor

    kiosk = Path(sys.executable).parent / "kiosk"
    process = subprocess.Popen(
        [str(kiosk), "simulate", "bp", "--socket", "--measure-time", "0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "KIOSK_DATA_DIR": str(tmp_path)},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = re.search(r"KIOSK_BP_URL=(socket://\S+)", line)
        assert url, line
        monitor = SunTechMonitor(url.group(1))
        monitor.open()
        try:
            reading = monitor.measure()
        finally:
            monitor.close()
        assert (reading.systolic, reading.diastolic, reading.pulse, reading.mean) == (
            115,
            74,
            85,
            88,
        )
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        if process.stdout is not None:
            process.stdout.close()


def test_simulate_card_brings_its_own_reader_that_the_driver_reads() -> None:
    """`kiosk simulate card` prints the reader and the pcscd socket to use; a kiosk process
    given both reads the card (in a process of its own: libpcsclite keeps its first socket)."""
    kiosk = Path(sys.executable).parent / "kiosk"
    process = subprocess.Popen([str(kiosk), "simulate", "card", "--scenario", "family"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"KIOSK_CARD_READER=(.+) PCSCLITE_CSOCK_NAME=(\S+)", line)
        assert found, line
        script = ("import sys, time\nfrom peripherals.pcsc import PcscCardReader\n"
                  "with PcscCardReader(sys.argv[1]) as reader:\n"
                  "    deadline = time.monotonic() + 10\n"  # pcscd sees a card within 0.5 s
                  "    while not reader.card_present() and time.monotonic() < deadline:\n"
                  "        time.sleep(0.1)\n"
                  "    print(len(reader.read().beneficiaries))\n")
        read = subprocess.run([sys.executable, "-c", script, found.group(1)], text=True,
                              capture_output=True, timeout=60,
                              env={**os.environ, "PCSCLITE_CSOCK_NAME": found.group(2)})
        assert read.stdout.strip() == "3", read.stdout + read.stderr
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        if process.stdout is not None:
            process.stdout.close()
    assert not Path(found.group(2)).parent.exists()  # its pcscd and folder are gone
