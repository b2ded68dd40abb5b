"""Fixtures for the peripherals tests: fast timings, simulators, and a real pcscd.

The PC/SC tests use the second virtual reader ("Virtual PCD 00 01", vpcd port
35964) so that a demo card simulator on the default port does not get in the way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peripherals.device_worker import WorkerTiming
from peripherals.manager import ManagerTiming
from peripherals.pcsc import PcscTiming
from peripherals.suntech import SunTechTiming

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
TEST_VPCD_PORT = 35964
TEST_READER = "Virtual PCD 00 01"

# Short enough to keep the suite fast, long enough for a loaded 2-core machine.
FAST_BP = SunTechTiming(
    poll_interval=0.05,
    poll_reply_timeout=0.4,
    reply_timeout=1.0,
    missed_polls_limit=5,
    measurement_deadline=10.0,
    busy_retries=2,
    busy_retry_delay=0.05,
    abort_ack_timeout=0.3,
)
FAST_MANAGER = ManagerTiming(
    worker=WorkerTiming(
        backoff_initial=0.05, backoff_max=0.2, idle_interval=0.05, probe_interval=0.3
    ),
    card_poll_interval=0.05,
    scanner_poll_interval=0.02,
    request_timeout=5.0,
    measurement_deadline=10.0,
    abort_grace=2.0,
    bp=FAST_BP,
    pcsc=PcscTiming(retry_delay=0.02, removal_grace=3.0),
)


@pytest.fixture
def fast_bp() -> SunTechTiming:
    """SunTech timing scaled down for tests."""
    return FAST_BP


@pytest.fixture
def fast_manager() -> ManagerTiming:
    """DeviceManager timing scaled down for tests."""
    return FAST_MANAGER


def _wait_until(predicate: Callable[[], object], timeout: float = 5.0) -> bool:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


@pytest.fixture
def wait_until() -> Callable[..., bool]:
    """``wait_until(predicate, timeout=5.0)``: poll until true; returns the last answer."""
    return _wait_until


# -- pcscd -------------------------------------------------------------------


def _pcscd_answers() -> bool:
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(PCSCD_SOCKET))
        except OSError:
            return False
    return True


def _live_pcscd_pids() -> list[int]:
    """pcscd processes that are really running (a zombie left by a killed shell is not)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().split()
            if fields[1] == "(pcscd)" and fields[2] != "Z":
                pids.append(int(fields[0]))
    return pids


def _test_reader_listed() -> bool:
    from peripherals.errors import NoReader
    from peripherals.pcsc import list_readers

    try:
        return TEST_READER in list_readers()
    except NoReader:
        return False


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A pcscd with the vpcd virtual readers: reused if one runs, else started and stopped here.

    Yields the name of the reader the tests' card simulator plays into.
    """
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    if not os.path.exists(binary):
        pytest.skip("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
    process: subprocess.Popen[bytes] | None = None
    log_file = None
    if not _pcscd_answers():
        if not _live_pcscd_pids():
            # Only a stale socket from a dead daemon may be removed.
            with contextlib.suppress(FileNotFoundError):
                PCSCD_SOCKET.unlink()
            log_path = tmp_path_factory.mktemp("pcscd") / "pcscd.log"
            log_file = log_path.open("wb")
            process = subprocess.Popen([binary, "-f"], stdout=log_file, stderr=subprocess.STDOUT)
    try:
        if not _wait_until(_test_reader_listed, timeout=10.0):
            pytest.fail(f"pcscd did not list {TEST_READER!r} (is vsmartcard-vpcd installed?)")
        yield TEST_READER
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log_file is not None:
            log_file.close()
