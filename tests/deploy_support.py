"""Helpers shared by the tests of deploy/ (tests/deploy/): what an install laid out and did,
systemd unit files read as sections and keys, and the processes the tests start."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HOST_UNITS = Path("/usr/lib/systemd/system")

# What every install lays out, unit or central server: the application, its configuration and
# its data folder (the virtual environment's own files aside), with their modes.
APP_MODES = {
    "opt": 0o755,
    "opt/kiosk": 0o755,
    "opt/kiosk/venv": 0o755,
    "opt/kiosk/installed-from": 0o644,
    "opt/kiosk/bin": 0o755,
    "opt/kiosk/bin/kiosk-wait-healthy": 0o755,
    "opt/kiosk/share": 0o755,
    "opt/kiosk/share/kiosk.toml.example": 0o644,
    "usr": 0o755,
    "usr/local": 0o755,
    "usr/local/bin": 0o755,
    "etc": 0o755,
    "etc/kiosk": 0o750,
    "etc/kiosk/kiosk.toml": 0o640,
    "var": 0o755,
    "var/lib": 0o755,
    "var/lib/kiosk": 0o750,
    "var/lib/kiosk/keys": 0o700,
    "var/lib/kiosk/secret_key": 0o600,
    "var/lib/kiosk/keys/fields.key": 0o600,
    "etc/systemd": 0o755,
    "etc/systemd/system": 0o755,
}


def laid_out(root: Path) -> set[str]:
    """The paths under ``root``, the inside of the virtual environment aside."""
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if not str(path.relative_to(root)).startswith("opt/kiosk/venv/")
    }


def actions(output: str) -> list[str]:
    """The actions install.sh printed (each on a line of its own, after "+ ")."""
    return [line for line in output.splitlines() if line.startswith("+ ")]


def refused(installer: Any, tmp_path: Path, *args: str) -> str:
    """install.sh with ``args`` into an empty root: it must fail and leave the root empty.
    Returns what it said on standard error."""
    root = tmp_path / "root"
    root.mkdir()
    done = installer.run(root, *args, check=False)
    assert done.returncode != 0, done.stdout
    assert list(root.iterdir()) == [], args
    return str(done.stderr)


def parse_unit_file(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: sections -> keys -> values (a key may repeat); continuation lines
    joined."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
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


def systemd_root(installer: Any, installed: Path, dest: Path, *programs: str) -> Path:
    """A copy of an installed root for `systemd-analyze --root`: with this machine's system
    units (which the installed ones depend on) and a stand-in for each of ``programs``."""
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is missing: install Debian's systemd (deploy/dev-deps.sh)")
    root: Path = installer.copy_root(installed, dest)
    shutil.copytree(HOST_UNITS, root / HOST_UNITS.relative_to("/"), symlinks=True)
    for program in programs:
        stand_in = root / program.lstrip("/")
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_text("#!/bin/sh\n", encoding="ascii")
        stand_in.chmod(0o755)
    return root


def verify_unit(root: Path, unit: str) -> tuple[int, str]:
    """`systemd-analyze verify` of ``unit`` in ``root``: its exit code and all it said."""
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={root}", unit],
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def exposure(root: Path, unit: str) -> float:
    """`systemd-analyze security`'s overall exposure level of ``unit`` in ``root``."""
    done = subprocess.run(["systemd-analyze", "security", "--offline=true", f"--root={root}",
                           "--no-pager", unit], capture_output=True, text=True, timeout=60)
    found = re.search(rf"Overall exposure level for {re.escape(unit)}: ([0-9.]+)", done.stdout)
    assert found, done.stdout + done.stderr
    return float(found.group(1))


def stop_process(process: subprocess.Popen[Any], timeout: float = 20) -> None:
    """Terminate ``process`` if it still runs (kill it if it does not stop in time)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
