"""SECURITY.md items 4, 5 and 6 in Debian's Chromium, against a real `kiosk demo`:
after the end nothing of the person is left behind the back button or in storage, htmx keeps
no snapshots, and the kiosk, its assisted mode and the staff portal run with zero CSP
violations. Run under the lock: flock /tmp/kiosk-browser.lock ..."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_server import DemoServer, start_demo
from kiosk_browser import Watched, open_kiosk
from kiosk_browser import kiosk_fixture as kiosk_fixture  # the browser ``kiosk`` fixture
from playwright.sync_api import Browser, expect
from screens import press, settled, surname, type_keys, vitals_start

pytestmark = pytest.mark.browser

WELCOME_FR = "Bonjour. Que voulez-vous faire ?"
QUESTION = "Acceptez-vous que Sophie, pharmacienne, vous aide ?"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    import screens

    server = start_demo(tmp_path_factory.mktemp("security-demo"), args=("--card", "normal"))
    screens.DEMO_DATA_DIR.append(server.data_dir)
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture
def desk(browser: Browser, demo: DemoServer) -> Iterator[Watched]:
    """Sophie's browser on the staff portal, signed in."""
    watched = open_kiosk(browser, demo)
    page = watched.page
    page.goto("/staff/login")
    page.fill("#username", "sophie")
    page.fill("#password", "demo-sophie")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("La borne en direct")
    yield watched
    watched.close_and_check(" on the staff portal")


def test_item_04_after_the_end_the_back_button_and_storage_show_no_name(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    surname(page)
    type_keys(page, "DURAND")
    expect(page.locator("output.typed")).to_have_text("DURAND")
    page.evaluate("localStorage.setItem('left', 'x'); sessionStorage.setItem('behind', 'y')")
    with page.expect_response("**/visit/end") as ended:
        page.locator(".navbar button.end").click()
    assert ended.value.all_headers()["clear-site-data"] == '"cache", "cookies", "storage"'
    expect(page.locator("h1")).to_have_text(WELCOME_FR)
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state()
        if page.url == "about:blank":
            break
        assert "DURAND" not in page.content()
        expect(page.locator("h1")).to_have_text(WELCOME_FR)


def test_item_05_htmx_keeps_no_history_snapshot(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    surname(page)
    type_keys(page, "DURAND")
    assert page.locator("body").get_attribute("hx-history") == "false"
    assert page.evaluate("htmx.config.historyCacheSize") == 0
    assert page.evaluate("localStorage.getItem('htmx-history-cache')") is None
    assert page.evaluate("JSON.stringify(sessionStorage)").find("DURAND") == -1


def test_item_06_htmx_is_configured_for_the_strict_csp(kiosk: Watched) -> None:
    page = kiosk.page
    response = page.goto("/")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    config = page.evaluate(
        "[htmx.config.allowEval, htmx.config.selfRequestsOnly, htmx.config.includeIndicatorStyles]")
    assert config == [False, True, False]
    assert page.locator("style").count() == 0  # htmx injected no inline style


def test_item_06_assisted_mode_and_the_staff_page_run_with_zero_csp_violations(
    kiosk: Watched, desk: Watched
) -> None:
    person, sophie = kiosk.page, desk.page
    person.goto("/")
    vitals_start(person)
    # The live refresh shows the visit, on its screen named in words.
    row = sophie.locator("tr[data-visit]").filter(
        has_text="Mesure de la tension, ce qui va se passer")
    expect(row).to_have_count(1, timeout=10_000)
    row.get_by_role("button", name="Aider").click()
    expect(sophie.locator("#live")).to_contain_text("Sophie attend la réponse de la personne.")
    expect(person.locator("h1")).to_have_text(QUESTION, timeout=10_000)  # the kiosk's poll
    settled(person)
    expect(person.locator("#assist-banner")).to_have_count(0)  # nothing before the answer
    press(person, "main button[value='yes']", "**/vitals/")
    expect(person.locator("#assist-banner p")).to_have_text("Avec l'aide de Sophie")
    expect(sophie.locator("#live")).to_contain_text("Aidé par Sophie", timeout=10_000)
    person.locator(".navbar button.help").click()
    expect(sophie.locator("#live")).to_contain_text("Demandes d'aide (1)", timeout=10_000)
