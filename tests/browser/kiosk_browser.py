"""Driving Debian's Chromium through Playwright as a person at the kiosk would.

Never a downloaded browser: Playwright drives /usr/bin/chromium (ACCESSIBILITY.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import AXE_SOURCE
from demo_server import DemoServer
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # As on a real unit (deploy/): each screen speaks on arrival, without a tap first.
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screens"
NORMAL = {"width": 1920, "height": 1080}  # the kiosk's own screen
LARGE_TEXT = {"width": 960, "height": 540}  # with "Texte plus grand" on top: 4x, item 4


class Watched:
    """A page with what the console said, so tests can assert zero CSP violations."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.page: Page = context.new_page()
        self.base_url = base_url
        self.console: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            # Name the resource: "Failed to load resource" alone does not say which one.
            where = (message.location or {}).get("url", "")
            self.console.append(f"{message.text} ({where})" if where else message.text)

    def failed_loads(self) -> list[str]:
        return [m for m in self.console if "Failed to load resource" in m]

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]

    def close_and_check(self, where: str = "") -> None:
        """Close the page's context, then fail if a CSP violation or a page error happened
        while it was open (``where`` names the page in the message)."""
        violations = self.csp_violations()
        self.context.close()
        assert not violations, f"CSP violations{where}: {violations}"
        assert not self.errors, f"page errors: {self.errors}"

    def screenshot(self, name: str) -> Path:
        """What the person sees: the viewport, never the full page (ACCESSIBILITY.md item 27)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


def open_kiosk(
    browser: Browser, demo: DemoServer, viewport: dict[str, int] | None = None, **options: object
) -> Watched:
    """A fresh browser context (no cookies, no storage): the next person at the kiosk."""
    context = browser.new_context(
        base_url=demo.url,
        viewport=viewport or NORMAL,  # type: ignore[arg-type]
        locale="fr-FR",
        timezone_id="Europe/Paris",
        **options,
    )
    context.add_init_script(AXE_SOURCE)  # through CDP, so the page's strict CSP still applies
    context.set_default_timeout(10_000)
    return Watched(context, demo.url)


@pytest.fixture(name="kiosk")
def kiosk_fixture(browser: Browser, demo: DemoServer) -> Iterator[Watched]:
    """The next person at the kiosk (a fresh context) on the module's ``demo``, with no CSP
    violation or page error. tests/browser/conftest.py and the browser items of tests/security
    bring it in by importing it (``kiosk`` elsewhere is the test client's person)."""
    watched = open_kiosk(browser, demo)
    yield watched
    watched.close_and_check()
