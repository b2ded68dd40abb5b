"""Every patient screen, in every language, at normal and 200 % text: strict axe, the kiosk's
own probes, zero CSP violations, and a screenshot under tests/artifacts/screens/."""

from __future__ import annotations

import pytest
from a11y import audit
from kiosk_browser import LARGE_TEXT, NORMAL, open_kiosk
from playwright.sync_api import Browser
from screens import SCREENS, Screen, is_patient_screen

from kiosk import create_app

LANGUAGES = ("fr", "en")
SIZES = (1, 2)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", SIZES, ids=["normal", "text200"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_screen_meets_the_accessibility_rules(
    browser: Browser, demo, screen: Screen, lang: str, size: int
) -> None:
    kiosk = open_kiosk(browser, demo, viewport=LARGE_TEXT if size == 2 else NORMAL)
    page = kiosk.page
    try:
        page.clock.install()
        page.goto("/")
        if lang != "fr":
            page.locator(f"button[lang='{lang}']").click()
            page.wait_for_load_state()
        if size == 2:
            page.locator("form[action='/visit/text-size'] button").click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("class") == f"text-{size}"
        screen.reach(page)
        page.wait_for_load_state("load")  # screens poll: the network is never idle
        name = f"{screen.name}-{lang}-{'text200' if size == 2 else 'normal'}"
        kiosk.screenshot(name)
        findings = audit(page, name)
        findings += [f"[{name}] csp: {v}" for v in kiosk.csp_violations()]  # type: ignore[misc]
        findings += [f"[{name}] page-error: {e}" for e in kiosk.errors]  # type: ignore[misc]
        if screen.name != "not-found":
            findings += [f"[{name}] load: {m}" for m in kiosk.failed_loads()]  # type: ignore[misc]
    finally:
        kiosk.context.close()
    assert not findings, "\n".join(str(f) for f in findings)


def test_the_harness_visits_every_patient_screen(settings: dict) -> None:
    """A new patient screen must be added to screens.py, or this fails."""
    app = create_app(settings)
    patient_endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and is_patient_screen(rule.endpoint)
    }
    visited = {screen.endpoint for screen in SCREENS}
    assert patient_endpoints <= visited, f"not visited: {patient_endpoints - visited}"


def test_the_strict_settings_catch_what_axe_defaults_let_pass(browser: Browser, demo) -> None:
    """A small target and 5:1 text pass axe's defaults; they must fail here."""
    kiosk = open_kiosk(browser, demo)
    try:
        kiosk.page.set_content(
            "<html lang='fr'><head><title>t</title></head><body><main><h1>Titre</h1>"
            "<p style='color:#6e6e6e;font-size:32px'>Texte gris</p>"
            "<button style='width:30px;height:30px;font-size:24px'>Oui</button>"
            "<button style='width:30px;height:30px;font-size:24px'>Non</button>"
            "</main></body></html>"
        )
        rules = {f.rule for f in audit(kiosk.page, "bad-page")}
    finally:
        kiosk.context.close()
    assert "color-contrast-enhanced" in rules
    assert "target-size" in rules
    assert {"target-44px", "icon-and-word"} <= rules
