"""The `kiosk` command: config show, db upgrade, seed-demo, and the demo server itself."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from click.testing import CliRunner
from demo_server import start_demo
from flask.testing import FlaskCliRunner

from kiosk.cli import cli, gunicorn_command


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


def test_demo_serves_the_welcome_screen_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    server = start_demo(tmp_path / "demo")
    try:
        with urllib.request.urlopen(server.url + "/", timeout=5) as page:
            html = page.read().decode()
        assert "Bonjour. Que voulez-vous faire ?" in " ".join(html.split())  # no-break spaces
        assert (tmp_path / "demo" / "kiosk.db").is_file()
        env = {
            "KIOSK_DATA_DIR": str(tmp_path / "demo"),
            "KIOSK_BIND": server.url.removeprefix("http://"),
        }
        states = kiosk_command("devices", env=env)
        assert "running kiosk" in states
        for kind in ("bp", "card", "printer", "scanner"):
            assert re.search(rf"^  {kind} +ok", states, re.MULTILINE), states
        tested = kiosk_command("devices", "test", "bp", "printer", env=env)
        assert "115/74 mmHg, pouls 85, moyenne 88" in tested
    finally:
        code = server.stop()
    output = server.output()
    assert code == 0, output
    assert "Staff login:" in output and "Doctor login:" in output and "demo stopped" in output
    port = int(server.url.rsplit(":", 1)[1])
    with socket.socket() as probe:  # nothing is left listening
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert not (tmp_path / "demo" / "devices" / "bp").exists()  # the simulators are gone


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
