"""Browser fixtures: the real demo server and Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import screens
from demo_server import DemoServer, start_demo
from kiosk_browser import Watched, open_kiosk
from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A real `kiosk demo` (gunicorn, SQLite, seeded, simulated devices) per test module.

    Per module, not per session: each test module gets a fresh database and devices (the
    demo's card plays into a private pcscd of its own, see peripherals.sim.pcscd).
    """
    server = start_demo(
        tmp_path_factory.mktemp("browser-demo"),
        args=("--card", "family", "--bp-seconds", "5"),
        extra_env={"KIOSK_BP_REST_SECONDS": "60", "KIOSK_BP_INTERVAL_SECONDS": "60"},
    )
    screens.DEMO_DATA_DIR.append(server.data_dir)
    yield server
    assert server.stop() == 0, server.output()


# ``browser`` (one Chromium for the whole run) is in tests/conftest.py: tests/security uses it
# too, and Playwright's sync API cannot run twice at once.


@pytest.fixture
def kiosk(browser: Browser, demo: DemoServer) -> Iterator[Watched]:
    watched = open_kiosk(browser, demo)
    yield watched
    violations = watched.csp_violations()
    watched.context.close()
    assert not violations, f"CSP violations: {violations}"
    assert not watched.errors, f"page errors: {watched.errors}"
