"""Every patient screen, and how a person reaches it. The harness visits each one.

Navigation taps what a person taps. Buttons are found by their form value or role rather than by
words, so the same path works in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect


@dataclass(frozen=True)
class Screen:
    """A patient screen: a name for reports, the endpoint it shows, how to get there."""

    name: str
    endpoint: str
    reach: Callable[[Page], None]


def settled(page: Page) -> None:
    """Wait until htmx has swapped the screen in and moved focus to its question."""
    # (wait_for_function would poll with eval, which the kiosk's CSP rightly refuses.)
    expect(page.locator("h1")).to_be_focused()


def tile(value: str) -> Callable[[Page], None]:
    def reach(page: Page) -> None:
        page.locator(f"button.tile[value='{value}']").click()
        page.wait_for_url(f"**/journey/{value}")
        settled(page)

    return reach


def welcome(page: Page) -> None:
    pass


def help_called(page: Page) -> None:
    page.locator(".navbar button.help").click()
    page.wait_for_url("**/help")
    settled(page)


def not_found(page: Page) -> None:
    page.goto("/no-such-page")


def timeout_warning(page: Page) -> None:
    tile("booking")(page)
    idle = int(page.locator("body").get_attribute("data-idle-seconds") or "120")
    page.clock.fast_forward(idle * 1000 + 500)
    page.locator("#timeout-warning").wait_for(state="visible")


SCREENS: tuple[Screen, ...] = (
    Screen("welcome", "welcome.index", welcome),
    Screen("booking-start", "welcome.journey", tile("booking")),
    Screen("appointment-start", "welcome.journey", tile("appointment")),
    Screen("vitals-start", "welcome.journey", tile("vitals")),
    Screen("help-called", "welcome.help_called", help_called),
    Screen("not-found", "(404)", not_found),
    Screen("timeout-warning", "(dialog)", timeout_warning),
)
