"""The systemd units: what `systemd-analyze verify` says of them, and what each must hold.

`systemd-analyze verify` needs no running systemd (these machines have none), but it checks that
every ExecStart*= program exists and is executable, and it loads the units a unit depends on.
So it runs with ``--root`` on a copy of an installed root (the real /opt/kiosk/venv/bin/kiosk
and /opt/kiosk/bin/kiosk-wait-healthy from install.sh), plus this machine's own system units
(sysinit.target, pcscd.socket, modprobe@.service, ...) and a stand-in /usr/bin/cage. It prints
a warning but still exits 0 for an unknown key or a bad value, so any output fails the test.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

SYSTEMD_DIR = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
UNITS = ("kiosk-web.service", "kiosk-browser.service", "kiosk-purge.service", "kiosk-purge.timer")
HOST_UNITS = Path("/usr/lib/systemd/system")


def parse_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> keys -> values (a key may repeat); continuation lines joined."""
    text = (SYSTEMD_DIR / name).read_text(encoding="utf-8").replace("\\\n", " ")
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    (value,) = unit[section][key]
    return value


def words(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> set[str]:
    return {word for value in unit[section].get(key, []) for word in value.split()}


@pytest.fixture(scope="module")
def verify_root(
    installer: Any, installed_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is missing: install Debian's systemd (deploy/dev-deps.sh)")
    root = installer.copy_root(installed_root, tmp_path_factory.mktemp("verify") / "root")
    shutil.copytree(HOST_UNITS, root / HOST_UNITS.relative_to("/"), symlinks=True)
    cage = root / "usr/bin/cage"
    cage.parent.mkdir(parents=True, exist_ok=True)
    cage.write_text("#!/bin/sh\n", encoding="ascii")
    cage.chmod(0o755)
    return root


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_analyze_verify_finds_nothing(verify_root: Path, unit: str) -> None:
    installed = verify_root / "etc/systemd/system" / unit
    assert installed.read_bytes() == (SYSTEMD_DIR / unit).read_bytes()
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", f"--root={verify_root}", unit],
        capture_output=True, text=True, timeout=60,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_web_unit_is_sandboxed_enough(verify_root: Path) -> None:
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", f"--root={verify_root}",
         "--no-pager", "kiosk-web.service"],
        capture_output=True, text=True, timeout=60,
    )
    found = re.search(r"Overall exposure level for kiosk-web\.service: ([0-9.]+)", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) <= 2.5, done.stdout


def test_the_web_unit_serves_on_loopback_with_hardening() -> None:
    unit = parse_unit("kiosk-web.service")
    service = unit["Service"]
    assert one(unit, "Service", "ExecStart") == "/opt/kiosk/venv/bin/kiosk run"
    assert one(unit, "Service", "ExecStartPre") == "/opt/kiosk/venv/bin/kiosk db upgrade"
    assert one(unit, "Service", "Restart") == "always"
    assert one(unit, "Service", "User") == "kiosk"
    assert one(unit, "Service", "SupplementaryGroups") == "dialout"
    env = words(unit, "Service", "Environment")
    assert {"KIOSK_BIND=127.0.0.1:8000", "KIOSK_MODE=unit",
            "KIOSK_CONFIG=/etc/kiosk/kiosk.toml"} <= env
    expected = {
        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
        "NoNewPrivileges": "yes", "ReadWritePaths": "/var/lib/kiosk", "DevicePolicy": "closed",
        "StandardOutput": "journal", "StandardError": "journal",
    }
    for key, value in expected.items():
        assert service[key] == [value], key
    assert set(service["DeviceAllow"]) == {"char-ttyUSB rw", "char-ttyACM rw"}
    assert {"modprobe@usbserial.service", "modprobe@cdc_acm.service"} <= words(
        unit, "Unit", "Wants"
    ) & words(unit, "Unit", "After")
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_the_browser_unit_runs_chromium_in_kiosk_mode_after_the_web_unit() -> None:
    unit = parse_unit("kiosk-browser.service")
    argv = shlex.split(one(unit, "Service", "ExecStart"))
    assert argv[:3] == ["/usr/bin/cage", "--", "/usr/bin/chromium"]
    flags = set(argv[3:-1])
    required = {
        "--kiosk", "--noerrdialogs", "--disable-pinch", "--overscroll-history-navigation=0",
        "--hide-crash-restore-bubble", "--autoplay-policy=no-user-gesture-required",
        "--incognito", "--disable-background-networking",
    }
    assert required <= flags, required - flags
    assert argv[-1] == "http://127.0.0.1:8000/"
    assert one(unit, "Service", "ExecStartPre") == (
        "/opt/kiosk/bin/kiosk-wait-healthy http://127.0.0.1:8000/healthz 120"
    )
    assert one(unit, "Service", "Restart") == "always"
    assert one(unit, "Service", "User") == "kiosk-browser"
    assert one(unit, "Service", "PAMName") == "kiosk-browser"
    assert "kiosk-web.service" in words(unit, "Unit", "Wants") & words(unit, "Unit", "After")
    assert one(unit, "Unit", "StartLimitIntervalSec") == "0"
    assert one(unit, "Install", "WantedBy") == "graphical.target"


def test_the_purge_runs_daily_as_the_kiosk_user() -> None:
    service = parse_unit("kiosk-purge.service")
    assert one(service, "Service", "ExecStart") == "/opt/kiosk/venv/bin/kiosk purge"
    assert one(service, "Service", "Type") == "oneshot"
    assert one(service, "Service", "User") == "kiosk"
    timer: Any = parse_unit("kiosk-purge.timer")
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d|daily", one(timer, "Timer", "OnCalendar"))
    assert one(timer, "Timer", "Persistent") == "true"
    assert one(timer, "Install", "WantedBy") == "timers.target"
