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


def press(page: Page, selector: str, url: str | None = None) -> None:
    """Tap one button and wait for the next screen."""
    page.locator(selector).first.click()
    if url:
        page.wait_for_url(url)
    settled(page)


def choose(page: Page, value: str, url: str | None = None) -> None:
    press(page, f"main button[value='{value}']", url)


def type_keys(page: Page, text: str) -> None:
    for key in text:
        press(page, f"main button.key[value='{key}']")


def then(*steps: Callable[[Page], None]) -> Callable[[Page], None]:
    def reach(page: Page) -> None:
        for step in steps:
            step(page)

    return reach


def tile(value: str, url: str) -> Callable[[Page], None]:
    return lambda page: choose(page, value, url)


def welcome(page: Page) -> None:
    pass


def help_called(page: Page) -> None:
    press(page, ".navbar button.help", "**/help")


def not_found(page: Page) -> None:
    page.goto("/no-such-page")


def timeout_warning(page: Page) -> None:
    choose(page, "vitals", "**/journey/vitals")
    idle = int(page.locator("body").get_attribute("data-idle-seconds") or "120")
    page.clock.fast_forward(idle * 1000 + 500)
    page.locator("#timeout-warning").wait_for(state="visible")


booking_start = tile("booking", "**/booking/")
booking_how = then(booking_start, lambda p: choose(p, "go", "**/booking/identify"))
surname = then(booking_how, lambda p: choose(p, "typed", "**/you/surname"))
# The demo's card (a family of three) is in the slot: the screen reads it by itself.
card_who = then(booking_how, lambda p: choose(p, "card", "**/booking/card/who"))


def card_wait(page: Page) -> None:
    """The card screen as it first appears (the reader may read the card a moment later)."""
    booking_how(page)
    page.route(
        "**/booking/card",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    choose(page, "card", "**/booking/card")


surname_error = then(surname, lambda p: press(p, "main button[value='ok']"))
first_name = then(
    surname,
    lambda p: type_keys(p, "DURAND"),
    lambda p: press(p, "main button[value='ok']", "**/you/first_name"),
)
birth_day = then(
    first_name,
    lambda p: type_keys(p, "JEANNE"),
    lambda p: press(p, "main button[value='ok']", "**/you/day"),
)
birth_month = then(birth_day, lambda p: choose(p, "15", "**/you/month"))
birth_year = then(birth_month, lambda p: choose(p, "3", "**/you/year"))
nir = then(
    birth_year,
    lambda p: type_keys(p, "1941"),
    lambda p: press(p, "main button[value='ok']", "**/you/nir"),
)
phone = then(nir, lambda p: press(p, "main button[value='skip']", "**/you/phone"))
is_it_you = then(phone, lambda p: press(p, "main button[value='skip']", "**/is-it-you"))
reason = then(is_it_you, lambda p: choose(p, "yes", "**/booking/reason"))
question = then(reason, lambda p: choose(p, "fever", "**/question/fever"))
when = then(question, lambda p: press(p, "main a[href='/booking/time']", "**/booking/time"))
days = then(when, lambda p: choose(p, "days", "**/booking/days"))
times = then(days, lambda p: press(p, "main button[name='day']", "**/booking/day/*"))
doctor = then(when, lambda p: choose(p, "doctor", "**/booking/doctor"))
check = then(when, lambda p: press(p, "main button[value^='slot:']", "**/booking/check"))
done = then(check, lambda p: press(p, "main button.primary", "**/booking/done"))

SCREENS: tuple[Screen, ...] = (
    Screen("welcome", "welcome.index", welcome),
    Screen("appointment-start", "welcome.journey", tile("appointment", "**/journey/appointment")),
    Screen("vitals-start", "welcome.journey", tile("vitals", "**/journey/vitals")),
    Screen("help-called", "welcome.help_called", help_called),
    Screen("not-found", "(404)", not_found),
    Screen("timeout-warning", "(dialog)", timeout_warning),
    Screen("booking-cost", "booking.start", booking_start),
    Screen("booking-card-or-not", "booking.how", booking_how),
    Screen("booking-card", "booking.card", card_wait),
    Screen("booking-card-who", "booking.card_who", card_who),
    Screen("booking-surname", "booking.typed", surname),
    Screen("booking-surname-error", "booking.typed", surname_error),
    Screen("booking-birth-day", "booking.typed", birth_day),
    Screen("booking-birth-month", "booking.typed", birth_month),
    Screen("booking-birth-year", "booking.typed", birth_year),
    Screen("booking-nir", "booking.typed", nir),
    Screen("booking-is-it-you", "booking.is_it_you", is_it_you),
    Screen("booking-reason", "booking.reason", reason),
    Screen("booking-question", "booking.question", question),
    Screen("booking-time", "booking.when", when),
    Screen("booking-days", "booking.days", days),
    Screen("booking-times", "booking.times", times),
    Screen("booking-doctor", "booking.doctor", doctor),
    Screen("booking-check", "booking.check", check),
    Screen("booking-done", "booking.done", done),
)

# GET endpoints that are not screens a person sees.
NOT_SCREENS = {"static", "health.healthz", "booking.qr", "booking.ics"}
