"""Fixtures for the peripherals tests: fast timings, simulators, and a real pcscd.

The PC/SC tests use the second virtual reader ("Virtual PCD 00 01") of the run's private
pcscd, so that the kiosk tests' card in the first one does not get in the way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from peripherals.device_worker import WorkerTiming
from peripherals.manager import ManagerTiming
from peripherals.pcsc import PcscTiming
from peripherals.sim.pcscd import PrivatePcscd
from peripherals.suntech import SunTechTiming

TEST_SLOT = 1

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


@pytest.fixture(scope="session")
def card_slot() -> int:
    """The virtual reader the peripherals tests' card simulator plays into."""
    return TEST_SLOT


@pytest.fixture(scope="session")
def pcscd(virtual_readers: PrivatePcscd, card_slot: int) -> str:
    """The name of that reader."""
    return virtual_readers.reader(card_slot)
