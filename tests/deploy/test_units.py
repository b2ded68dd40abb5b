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
from pathlib import Path
from typing import Any

import pytest
from deploy_support import exposure, parse_unit_file, systemd_root, verify_unit

SYSTEMD_DIR = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
UNITS = ("kiosk-web.service", "kiosk-browser.service", "kiosk-purge.service", "kiosk-purge.timer")


def parse_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> keys -> values of a unit in deploy/systemd/."""
    return parse_unit_file(SYSTEMD_DIR / name)


def one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    (value,) = unit[section][key]
    return value


def words(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> set[str]:
    return {word for value in unit[section].get(key, []) for word in value.split()}


@pytest.fixture(scope="module")
def verify_root(
    installer: Any, installed_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return systemd_root(installer, installed_root, tmp_path_factory.mktemp("verify") / "root",
                        "/usr/bin/cage")


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_analyze_verify_finds_nothing(verify_root: Path, unit: str) -> None:
    installed = verify_root / "etc/systemd/system" / unit
    assert installed.read_bytes() == (SYSTEMD_DIR / unit).read_bytes()
    assert verify_unit(verify_root, unit) == (0, "")


def test_the_web_unit_is_sandboxed_enough(verify_root: Path) -> None:
    assert exposure(verify_root, "kiosk-web.service") <= 2.5


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
