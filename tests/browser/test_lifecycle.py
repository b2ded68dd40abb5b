"""The visit lifecycle in a real browser: Terminer, the back button, the inactivity warning,
focus after htmx swaps, and the screens without JavaScript (ACCESSIBILITY.md 11, 12, 22, 23;
SECURITY.md 1, 4, 5)."""

from __future__ import annotations

import pytest
from kiosk_browser import Watched, open_kiosk
from playwright.sync_api import Browser, expect
from screens import hold_the_card, settled

pytestmark = pytest.mark.browser

WELCOME_FR = "Bonjour. Que voulez-vous faire ?"
BOOKING_EN = "A consultation with a doctor"


def start_booking_in_english(kiosk: Watched) -> None:
    """The first booking screen, staying there: the demo's card in the slot is not read."""
    page = kiosk.page
    hold_the_card(page)
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Hello. What do you want to do?")
    page.get_by_role("button", name="Book an appointment").click()
    settled(page)
    expect(page.locator("h1")).to_have_text(BOOKING_EN)


def test_after_terminer_the_back_button_shows_only_the_welcome_screen(kiosk: Watched) -> None:
    page = kiosk.page
    start_booking_in_english(kiosk)
    page.evaluate("localStorage.setItem('left-behind', 'x'); sessionStorage.setItem('also', 'y')")
    old_cookie = next(c["value"] for c in kiosk.context.cookies() if c["name"] == "kiosk")

    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text(WELCOME_FR)
    expect(page.locator("main")).to_contain_text("Tout ce que vous avez fait ici est effacé.")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    for _ in range(3):  # back, back, back: never the previous person's screens
        page.go_back()
        page.wait_for_load_state()
        if page.url == "about:blank":
            break
        expect(page.locator("h1")).to_have_text(WELCOME_FR)
        assert BOOKING_EN not in page.content()
        assert "English" in page.content()  # the language switch is offered, not chosen
        assert page.locator("html").get_attribute("lang") == "fr"

    new_cookies = [c["value"] for c in kiosk.context.cookies() if c["name"] == "kiosk"]
    assert old_cookie not in new_cookies
    replay = kiosk.context.request.get(
        "/booking/", headers={"Cookie": f"kiosk={old_cookie}"}
    )
    assert replay.url.endswith("/")
    words = " ".join(replay.text().split())  # the page's no-break spaces read as spaces
    assert WELCOME_FR in words and BOOKING_EN not in words


def test_htmx_keeps_no_snapshot_of_the_screens(kiosk: Watched) -> None:
    start_booking_in_english(kiosk)
    kiosk.page.get_by_role("button", name="Help").first.click()
    settled(kiosk.page)
    stored = kiosk.page.evaluate("JSON.stringify(Object.keys(localStorage))")
    assert "htmx" not in stored


def test_each_new_screen_gets_focus_on_its_question_and_is_announced(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    page.get_by_role("button", name="Mesurer ma tension").click()
    settled(page)
    assert page.evaluate("document.activeElement.id") == "question"
    expect(page.locator("#status")).to_have_text("Mesurer votre tension")
    assert page.locator("#screen").get_attribute("aria-busy") is None


def test_inactivity_warns_then_gives_more_time_at_least_ten_times(kiosk: Watched) -> None:
    page = kiosk.page
    page.clock.install()
    start_booking_in_english(kiosk)
    idle_ms = int(page.locator("body").get_attribute("data-idle-seconds")) * 1000
    warn_s = int(page.locator("body").get_attribute("data-warning-seconds"))
    assert warn_s >= 20
    page.evaluate(
        """() => { window.spoken = [];
        document.addEventListener('kiosk:timeout-warning',
                                  e => window.spoken.push(e.detail.text)); }"""
    )
    dialog = page.locator("#timeout-warning")

    for round_ in range(10):
        page.clock.fast_forward(idle_ms - 1000)
        expect(dialog).to_be_hidden()
        if round_ == 0:  # the warning is spoken too (kiosk/static/listen.js)
            with page.expect_response("**/voice/prompt/timeout.wav") as spoken_warning:
                page.clock.fast_forward(1500)
            assert spoken_warning.value.ok
            assert spoken_warning.value.headers["content-type"] == "audio/wav"
            assert page.evaluate("!document.getElementById('voice-prompt').paused")
        else:
            page.clock.fast_forward(1500)
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("heading")).to_have_text("Are you still there?")
        expect(page.locator("#timeout-refused")).to_be_hidden()
        page.get_by_role("button", name="More time").click()
        expect(dialog).to_be_hidden()
        expect(page.locator("h1")).to_have_text(BOOKING_EN), f"round {round_}"

    spoken = page.evaluate("window.spoken")
    assert len(spoken) == 10 and "Are you still there?" in spoken[0]
    assert f"{warn_s} seconds" in spoken[0]


def test_nobody_answers_the_warning_and_the_visit_is_wiped(kiosk: Watched) -> None:
    page = kiosk.page
    page.clock.install()
    start_booking_in_english(kiosk)
    idle_ms = int(page.locator("body").get_attribute("data-idle-seconds")) * 1000
    warn_s = int(page.locator("body").get_attribute("data-warning-seconds"))
    page.clock.fast_forward(idle_ms + 500)
    expect(page.locator("#timeout-warning")).to_be_visible()
    page.clock.run_for(5000)
    expect(page.locator("#timeout-count")).to_have_text(str(warn_s - 5))
    page.clock.run_for((warn_s - 5) * 1000 + 1000)
    page.wait_for_url("**/?notice=timeout")
    expect(page.locator("h1")).to_have_text(WELCOME_FR)
    expect(page.locator("main")).to_contain_text("Personne n'a répondu.")
    page.go_back()
    page.wait_for_load_state()
    assert BOOKING_EN not in page.content()


def test_the_screens_work_without_javascript(browser: Browser, demo) -> None:
    kiosk = open_kiosk(browser, demo, java_script_enabled=False)
    page = kiosk.page
    try:
        page.goto("/")
        page.get_by_role("button", name="J'ai un rendez-vous").click()
        expect(page.locator("h1")).to_have_text("Comment trouver votre rendez-vous ?")
        page.get_by_role("button", name="Avec le code du rendez-vous").click()
        page.get_by_role("button", name="K", exact=True).click()
        expect(page.locator("output.typed")).to_have_text("K")
        page.get_by_role("button", name="Aide").click()
        expect(page.locator("h1")).to_have_text("Quelqu'un arrive.")
        page.get_by_role("link", name="Continuer sans aide").click()
        expect(page.locator("h1")).to_have_text("Quel est le code de votre rendez-vous ?")
        expect(page.locator("output.typed")).to_have_text("K")  # nothing typed was lost
        page.get_by_role("button", name="Terminer").click()
        expect(page.locator("h1")).to_have_text(WELCOME_FR)
    finally:
        kiosk.context.close()
