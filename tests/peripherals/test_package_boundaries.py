"""peripherals is a standalone library: no app imports, nothing opened on import."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from peripherals.interfaces import BloodPressureMonitor, CardReader, CodeScanner, TicketPrinter
from peripherals.pcsc import PcscCardReader
from peripherals.printer import SerialTicketPrinter
from peripherals.scanner import SerialCodeScanner
from peripherals.suntech import SunTechMonitor

PACKAGE = Path(__file__).parents[2] / "peripherals"


def test_never_imports_the_app_or_voice() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("kiosk", "voice")
            ]
    assert offenders == []


def test_importing_opens_nothing() -> None:
    script = textwrap.dedent(
        """
        import os, threading
        before = set(os.listdir("/proc/self/fd"))
        import peripherals, peripherals.manager, peripherals.sim, peripherals.sim.__main__
        manager = peripherals.manager.DeviceManager({"bp_url": "/dev/kiosk-bp"})
        after = set(os.listdir("/proc/self/fd"))
        print(threading.active_count(), len(after - before))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    threads, new_fds = done.stdout.split()
    assert threads == "1"
    assert new_fds == "0"


def test_drivers_satisfy_their_interfaces() -> None:
    assert isinstance(SunTechMonitor("/dev/null"), BloodPressureMonitor)
    assert isinstance(PcscCardReader("auto"), CardReader)
    assert isinstance(SerialTicketPrinter("/dev/null"), TicketPrinter)
    assert isinstance(SerialCodeScanner("/dev/null"), CodeScanner)
    assert not isinstance(SerialCodeScanner("/dev/null"), BloodPressureMonitor)
