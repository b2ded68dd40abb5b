"""Every patient screen, reached once, then checked in every language and at normal and 200 %
text on the kiosk's own 1920x1080 screen: strict axe, the kiosk's own probes, the screen fits
without scrolling (fit.py), zero CSP violations, and a screenshot of what the person sees
under tests/artifacts/screens/. With text twice as large, the 960x540 viewport (4x) is checked
for horizontal scroll too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from a11y import Finding, audit
from fit import fits, fits_narrow
from kiosk_browser import LARGE_TEXT, NORMAL, Watched, open_kiosk
from playwright.sync_api import Browser
from screens import SCREENS, Screen, is_patient_screen

from kiosk import create_app

# (language, text size), in the order the harness goes through them on a reached screen.
VARIANTS = (("fr", 1), ("fr", 2), ("en", 2), ("en", 1))

pytestmark = pytest.mark.browser

# The demo as a unit with a speech model in both languages: "Parler" takes its place on every
# screen, and the screen must still fit.
DEMO_LISTEN_AS = "fr=ko,en=ko"


def _token(kiosk: Watched) -> str:
    token = kiosk.page.locator("input[name='csrf_token']").first.get_attribute("value")
    assert token, "no CSRF token on this screen"
    return token


def _set(kiosk: Watched, lang: str, size: int) -> None:
    """Change language and text size with the kiosk's own controls' requests, then load the
    screen's address again, as the controls do."""
    page = kiosk.page
    html = page.locator("html")
    if html.get_attribute("lang") != lang:
        page.request.post("/visit/language", form={"csrf_token": _token(kiosk), "lang": lang})
    if html.get_attribute("class") != f"text-{size}":
        page.request.post("/visit/text-size", form={"csrf_token": _token(kiosk)})
    page.goto(page.url)
    page.wait_for_load_state("load")


def _reached(browser: Browser, demo, screen: Screen, lang: str, size: int) -> Watched:
    """A new visit that walks to ``screen`` in ``lang`` at text size ``size``."""
    kiosk = open_kiosk(browser, demo, viewport=NORMAL)
    page = kiosk.page
    page.clock.install()
    page.goto("/")
    if lang != "fr" or size != 1:
        _set(kiosk, lang, size)
    screen.reach(page)
    page.wait_for_load_state("load")  # screens poll: the network is never idle
    return kiosk


def _visits(browser: Browser, demo, screen: Screen) -> Iterator[tuple[Watched, str, int]]:
    """The screen in each variant: reached once and switched in place when its address shows
    it again, otherwise reached anew each time."""
    kiosk = None
    try:
        for lang, size in VARIANTS:
            if kiosk is None or not screen.reloads:
                if kiosk is not None:
                    kiosk.context.close()
                kiosk = _reached(browser, demo, screen, lang, size)
            else:
                _set(kiosk, lang, size)
            page = kiosk.page
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("html").get_attribute("class") == f"text-{size}"
            yield kiosk, lang, size
    finally:
        if kiosk is not None:
            kiosk.context.close()


def _console(kiosk: Watched, screen: Screen, name: str) -> list[str]:
    found = [f"[{name}] csp: {v}" for v in kiosk.csp_violations()]
    found += [f"[{name}] page-error: {e}" for e in kiosk.errors]
    if screen.name != "not-found":
        found += [f"[{name}] load: {m}" for m in kiosk.failed_loads()]
    return found


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_screen_fits_and_meets_the_accessibility_rules(
    browser: Browser, demo, screen: Screen
) -> None:
    findings: list[Finding | str] = []
    for kiosk, lang, size in _visits(browser, demo, screen):
        page = kiosk.page
        name = f"{screen.name}-{lang}-{'text200' if size == 2 else 'normal'}"
        kiosk.screenshot(name)
        findings += audit(page, name)
        findings += fits(page, name)
        if size == 2:
            page.set_viewport_size(LARGE_TEXT)
            findings += fits_narrow(page, f"{name}-960x540")
            page.set_viewport_size(NORMAL)
        findings += _console(kiosk, screen, name)
        kiosk.console.clear()
        kiosk.errors.clear()
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


def test_the_fit_checks_catch_a_screen_that_does_not_fit(browser: Browser, demo) -> None:
    """Confirmer below the fold, a footer pushed away, "9 h / 00" and a lonely "?", a text
    field with no keys, a box that scrolls: each must be found."""
    kiosk = open_kiosk(browser, demo, viewport=NORMAL)
    try:
        kiosk.page.set_content(
            "<html lang='fr'><head><title>t</title></head><body style='margin:0;font-size:24px'>"
            "<main><h1>Vérifiez</h1>"
            "<div style='height:1200px'></div>"
            "<button data-primary>Confirmer</button>"
            "<button style='width:60px;font:24px sans-serif'>9 h 00</button>"
            "<p style='width:135px'>allergies ?</p>"
            "<input type='text'>"
            "<div style='height:50px;overflow-y:auto'><div style='height:200px'></div></div>"
            "</main><nav class='navbar'><a class='button' data-voice='back'>Retour</a>"
            "<button class='button' data-voice='help'>Aide</button>"
            "<button class='button' data-voice='end'>Terminer</button></nav></body></html>"
        )
        rules = {f.rule for f in fits(kiosk.page, "bad-page")}
    finally:
        kiosk.context.close()
    assert {"no-vertical-scroll", "primary-visible", "footer-visible", "no-break-inside",
            "own-keys", "no-inner-scroll"} <= rules
