"""Every screen speaks on arrival; any touch stops it; Réécouter plays it again (items 5, 6)."""

from __future__ import annotations

import pytest
from kiosk_browser import Watched
from screens import hold_the_card, settled

pytestmark = pytest.mark.browser

PLAYING = "() => { const a = document.getElementById('speech'); return !!a && !a.paused; }"


def playing(kiosk: Watched) -> bool:
    return bool(kiosk.page.evaluate(PLAYING))


def test_a_screen_speaks_as_it_arrives_and_a_touch_stops_it(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    page.wait_for_timeout(300)
    assert playing(kiosk), "the welcome screen is silent"
    welcome_source = page.locator("audio#speech").get_attribute("src")
    assert welcome_source and welcome_source.startswith("/speech/")
    page.locator("h1").click()  # any touch
    assert not playing(kiosk)

    page.get_by_role("button", name="Réécouter").click()
    page.wait_for_timeout(200)
    assert playing(kiosk), "Réécouter did not play the screen again"
    assert page.evaluate("document.getElementById('speech').currentTime") < 2

    page.get_by_role("button", name="Stop").click()
    assert not playing(kiosk)

    hold_the_card(page)  # the next screen stays: the demo's card is not read
    page.get_by_role("button", name="Prendre rendez-vous").click()
    settled(page)
    page.wait_for_timeout(300)
    assert playing(kiosk), "the next screen is silent"
    assert page.locator("audio#speech").get_attribute("src") != welcome_source


def test_the_volume_of_the_visit_sets_the_voice_volume(kiosk: Watched) -> None:
    page = kiosk.page
    page.goto("/")
    page.get_by_role("button", name="Moins fort").click()
    page.get_by_role("button", name="Moins fort").click()
    page.wait_for_timeout(300)
    volume = page.evaluate("document.getElementById('speech').volume")
    assert volume == pytest.approx(2 / 5)
