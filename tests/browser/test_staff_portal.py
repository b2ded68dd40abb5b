"""The staff portal in Chromium: axe (WCAG 2.2 AA) on its pages, with the live part filled."""

from __future__ import annotations

import pytest
from a11y import AXE_TAGS, RUN_AXE
from kiosk_browser import Watched
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def axe(kiosk: Watched, name: str) -> list[str]:
    return [f"[{name}] {v['rule']}: {v['help']} -> {v['targets']}"
            for v in kiosk.page.evaluate(RUN_AXE, AXE_TAGS)]


def test_the_staff_pages_pass_axe(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    page.get_by_role("button", name="Mesurer ma tension").click()  # a visit to show
    expect(page.locator("h1")).to_have_text("Mesurer votre tension")
    page.locator(".navbar button.help").click()  # and a help call
    expect(page.locator("h1")).to_have_text("Quelqu'un arrive.")
    page.goto("/staff/login")
    findings = axe(kiosk, "staff-login")
    page.fill("#username", "sophie")
    page.fill("#password", "wrong")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".portal-error")).to_be_visible()
    findings += axe(kiosk, "staff-login-error")
    page.fill("#password", "demo-sophie")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("La borne en direct")
    expect(page.locator("#live")).to_contain_text("Demandes d'aide (1)")
    findings += axe(kiosk, "staff-live")
    assert not findings, "\n".join(findings)
    # Screens in words, never a path; the page never scrolls sideways, even in a narrow window.
    live = page.locator("#live")
    expect(live.locator("li.staff-call")).to_contain_text(
        "Mesure de la tension, ce qui va se passer")
    assert "/vitals" not in live.inner_text()
    page.set_viewport_size({"width": 1920, "height": 1080})
    kiosk.screenshot("staff-live")
    page.set_viewport_size({"width": 640, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
