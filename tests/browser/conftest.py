"""Browser fixtures: the real demo server and Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import screens
from demo_server import DemoServer, start_demo
from kiosk_browser import ARGS, CHROMIUM, Watched, open_kiosk
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A real `kiosk demo` (gunicorn, SQLite, seeded, simulated devices) per test module.

    Per module, not per session: the demo's card holds pcscd's first virtual reader, and
    later test folders start demos and card simulators of their own.
    """
    server = start_demo(
        tmp_path_factory.mktemp("browser-demo"),
        args=("--card", "family", "--bp-seconds", "5"),
        extra_env={"KIOSK_BP_REST_SECONDS": "60", "KIOSK_BP_INTERVAL_SECONDS": "60"},
    )
    screens.DEMO_DATA_DIR.append(server.data_dir)
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def kiosk(browser: Browser, demo: DemoServer) -> Iterator[Watched]:
    watched = open_kiosk(browser, demo)
    yield watched
    violations = watched.csp_violations()
    watched.context.close()
    assert not violations, f"CSP violations: {violations}"
    assert not watched.errors, f"page errors: {watched.errors}"
