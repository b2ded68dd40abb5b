"""The central server's systemd units as deploy/install.sh --server lays them out: what
`systemd-analyze verify` says of them (kiosk-web in server mode, the purge, and Debian's
coturn.service with the kiosk's drop-in), and what each must hold.

As in test_units.py: a copy of the installed root, this machine's own system units (Debian's
coturn.service, postgresql.service, redis-server.service come with dev-deps.sh) and a stand-in
/usr/bin/turnserver; any output of `verify` fails the test.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from deploy_support import HOST_UNITS, exposure, systemd_root, verify_unit
from deploy_support import parse_unit_file as parse

DROPIN = "etc/systemd/system/coturn.service.d/kiosk.conf"


@pytest.fixture(scope="module")
def server_verify_root(
    installer: Any, installed_server_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    for unit in ("coturn.service", "postgresql.service", "redis-server.service"):
        if not (HOST_UNITS / unit).exists():
            pytest.fail(f"{unit} is missing: deploy/dev-deps.sh installs its Debian package")
    return systemd_root(installer, installed_server_root,
                        tmp_path_factory.mktemp("verify") / "root", "/usr/bin/turnserver")


@pytest.mark.parametrize(
    "unit", ["kiosk-web.service", "kiosk-purge.service", "kiosk-purge.timer", "coturn.service"]
)
def test_systemd_analyze_verify_finds_nothing(server_verify_root: Path, unit: str) -> None:
    assert verify_unit(server_verify_root, unit) == (0, "")


def test_verify_reads_the_coturn_drop_in(server_verify_root: Path) -> None:
    """The check above would see a broken drop-in: the same root with its command misspelt."""
    dropin = server_verify_root / DROPIN
    kept = dropin.read_text(encoding="utf-8")
    try:
        dropin.write_text(kept.replace("/usr/bin/turnserver -c", "/usr/bin/turnsrever -c"))
        code, said = verify_unit(server_verify_root, "coturn.service")
        assert code != 0 and "/usr/bin/turnsrever" in said
    finally:
        dropin.write_text(kept)


@pytest.mark.parametrize(("unit", "most"), [("kiosk-web.service", 2.5), ("coturn.service", 4.0)])
def test_the_server_services_are_sandboxed(
    server_verify_root: Path, unit: str, most: float
) -> None:
    assert exposure(server_verify_root, unit) <= most


def test_the_server_web_unit_runs_server_mode_on_loopback_after_its_databases(
    installed_server_root: Path,
) -> None:
    unit = parse(installed_server_root / "etc/systemd/system/kiosk-web.service")
    service = unit["Service"]
    assert service["ExecStart"] == ["/opt/kiosk/venv/bin/kiosk run"]
    assert service["ExecStartPre"] == ["/opt/kiosk/venv/bin/kiosk db upgrade"]
    assert service["User"] == ["kiosk"] and service["Restart"] == ["always"]
    env = {word for value in service["Environment"] for word in value.split()}
    assert {"KIOSK_MODE=server", "KIOSK_BIND=127.0.0.1:8000",
            "KIOSK_CONFIG=/etc/kiosk/kiosk.toml"} <= env
    for key in ("Wants", "After"):
        words = {word for value in unit["Unit"][key] for word in value.split()}
        assert {"postgresql.service", "redis-server.service"} <= words, key
    assert "SupplementaryGroups" not in service and "DeviceAllow" not in service
    assert service["PrivateDevices"] == ["yes"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_coturn_drop_in_runs_the_kiosks_config_instead_of_debians(
    installed_server_root: Path,
) -> None:
    service = parse(installed_server_root / DROPIN)["Service"]
    assert service["ExecStart"][0] == ""  # Debian's command is reset, not added to
    argv = shlex.split(service["ExecStart"][1])
    assert argv[:3] == ["/usr/bin/turnserver", "-c", "/etc/kiosk-turn/turnserver.conf"]
    assert (installed_server_root / "etc/kiosk-turn/turnserver.conf").is_file()
