"""The booking journey in a real browser, by the words on screen, as a person does it.

The demo's card (a family of three) is in the slot, the printer and the cuff are simulated.
The kiosk's own screen is 1920x1080: every tap is counted, and every button touched must be
on screen without scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from demo_server import DemoServer
from kiosk_browser import Watched, open_kiosk
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
KIOSK_SCREEN = {"width": 1920, "height": 1080}
NEXT, PREVIOUS = re.compile(r"^(Suite|Next)$"), re.compile(r"^(Précédent|Previous)$")


@pytest.fixture
def at_the_kiosk(browser: Browser, demo: DemoServer) -> Iterator[Watched]:
    """The kiosk at its real screen size."""
    watched = open_kiosk(browser, demo, viewport=KIOSK_SCREEN)
    yield watched
    watched.close_and_check()


class Person:
    """Counts the taps a person makes on the screen."""

    def __init__(self, page: Page, *, no_scrolling: bool = False) -> None:
        self.page = page
        self.taps = 0
        self.no_scrolling = no_scrolling  # at the kiosk's own screen size

    def tap(self, name: str | re.Pattern[str], *, exact: bool = True) -> None:
        """Tap, then wait for the next screen, as a person does: a tap made on a screen that
        is already being replaced belongs to that old screen (two screens in a row may both
        have "Passer" or "Non")."""
        screen = self.page.locator("main").element_handle()
        button = self.page.get_by_role("button", name=name, exact=exact)
        link = self.page.get_by_role("link", name=name, exact=exact)
        target = button.or_(link).first
        if self.no_scrolling:  # a tap below the fold is a tap nobody makes
            expect(target).to_be_in_viewport()
        target.click()
        self.taps += 1
        screen.wait_for_element_state("hidden")

    def types(self, text: str) -> None:
        """Tap one key at a time, looking for the letter to appear before the next."""
        typed = self.page.locator("output.typed")
        start = (typed.text_content() or "").strip("\u00a0 ")
        for count, key in enumerate(text, 1):
            self.tap(key)
            expect(typed).to_have_text(start + text[:count])

    def picks_a_later_day(self) -> None:
        """From "Quand … ?": another day, the second one offered, up to its times."""
        self.tap("Choisir un autre jour")
        self.sees("Quel jour ?")
        self.page.locator("main button[name='day']").nth(1).click()
        self.sees("À quelle heure ?")

    def sees(self, question: str) -> None:
        expect(self.page.locator("h1")).to_have_text(question)
        expect(self.page.locator("h1")).to_be_focused()


def test_with_a_card_booking_takes_8_taps_from_the_welcome_screen_to_the_ticket(
        at_the_kiosk: Watched) -> None:
    """Issue 13: the cost and the card on one screen, the card read without a tap, touching
    one's own name on the card answers "c'est moi", three questions per reason."""
    person = Person(at_the_kiosk.page, no_scrolling=True)
    page = at_the_kiosk.page
    page.goto("/")
    person.tap("Prendre rendez-vous")
    person.sees("Qui vient voir le médecin ?")  # the card in the slot was read without a tap
    person.tap(re.compile(r"^JEANNE MARTIN"), exact=False)
    person.sees("Pourquoi voulez-vous voir le médecin ?")
    person.tap("Fièvre")
    for answer in ("Oui", "Non", "Non"):
        person.tap(answer)
    person.sees("Quand voulez-vous voir le médecin ?")
    person.tap(re.compile(r"^Le plus tôt possible"), exact=False)
    person.sees("Vérifiez votre rendez-vous")
    at_the_kiosk.screenshot("journey-card-check")
    person.tap("Confirmer")
    person.sees("C'est réservé.")
    assert person.taps <= 8, person.taps
    main = page.locator("main")
    expect(main).to_contain_text("Prenez votre ticket.")
    expect(main).to_contain_text("Apportez votre carte Vitale ou ce ticket.")
    expect(page.locator(".code")).to_have_text(re.compile(r"^[A-HJ-NP-Z2-9]{6}$"))
    at_the_kiosk.screenshot("journey-card-done")


def test_without_a_card_a_person_types_on_big_keys_and_books(kiosk: Watched) -> None:
    person = Person(kiosk.page)
    page = kiosk.page
    page.goto("/")
    person.tap("Prendre rendez-vous")
    expect(page.locator("main")).to_contain_text("Vous n'avez rien à payer.")
    person.tap("Je n'ai pas de carte")
    person.sees("Quel est votre nom de famille ?")
    expect(page.locator("main")).to_contain_text("Étape 1 sur 5")
    person.types("DURAND")
    expect(page.locator("output.typed")).to_have_text("DURAND")
    person.tap("Valider")
    person.sees("Quel est votre prénom ?")
    person.types("LUC")
    person.tap("Valider")
    person.tap("3")
    person.tap("mars")
    person.sees("Votre date de naissance : quelle année ?")
    person.types("2050")
    person.tap("Valider")
    expect(page.locator(".error")).to_contain_text("Cette année n'est pas possible.")
    expect(page.locator("output.typed")).to_have_text("2050")  # kept, to correct
    for remaining in ("205", "20", "2", re.compile(r"^\s*$")):
        person.tap("Effacer")
        expect(page.locator("output.typed")).to_have_text(remaining)
    person.types("1950")
    person.tap("Valider")
    person.sees("Quel est votre numéro de sécurité sociale ?")
    person.tap("Passer")
    person.tap("Passer")
    person.sees("Vous êtes bien Luc DURAND ?")
    person.tap("Oui, c'est moi")
    person.tap("Autre")
    for answer in ("Oui", "Non", "Non"):
        person.tap(answer)
    person.picks_a_later_day()
    page.locator("main button[value^='slot:']").first.click()
    person.sees("Vérifiez votre rendez-vous")
    expect(page.locator(".summary")).to_contain_text("Avez-vous mal quelque part ? Oui")
    person.tap("Confirmer")
    person.sees("C'est réservé.")
    expect(page.locator("main")).not_to_contain_text("carte Vitale")  # they said they have none
    kiosk.screenshot("journey-typed-done")


class Controls:
    """The persistent controls, pressed on any screen: the screen and its answers must stay
    (ACCESSIBILITY.md item 28)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _press(self, action: str, value: str | None = None) -> None:
        form = self.page.locator(f"header form[action='{action}']")
        if value is not None:
            form = form.filter(has=self.page.locator(f"input[value='{value}']"))
        with self.page.expect_navigation():
            form.locator("button").click()
        self.page.wait_for_load_state("load")

    def on_every_page(self) -> str:
        """What the screen shows on all its pages (with larger text a summary comes on pages,
        item 27), read as a person does: "Suite" to the last, "Précédent" back again."""
        person = Person(self.page)
        shown = [self.page.locator("main").inner_text()]
        turned = 0
        while self.page.get_by_role("link", name=NEXT).count():
            person.tap(NEXT)
            shown.append(self.page.locator("main").inner_text())
            turned += 1
        for _page in range(turned):
            person.tap(PREVIOUS)
        return " ".join(" ".join(shown).split())

    def keep_the_place(self, french: str, english: str, *kept: tuple[str, str]) -> None:
        """Bigger text, louder, English, French, normal text: after each, the same question
        (in the language shown) and every answer in ``kept`` (French, English) still there."""
        h1 = self.page.locator("h1")

        def same(question: str, lang: int) -> None:
            expect(h1).to_have_text(question)
            shown = self.on_every_page()
            for pair in kept:
                assert pair[lang] in shown, f"{pair[lang]!r} is on no page of {question!r}"

        self._press("/visit/text-size")
        expect(self.page.locator("html")).to_have_class("text-2")
        same(french, 0)
        self._press("/visit/volume", "up")
        same(french, 0)
        self._press("/visit/language", "en")
        same(english, 1)
        self._press("/visit/language", "fr")
        self._press("/visit/text-size")
        expect(self.page.locator("html")).to_have_class("text-1")
        same(french, 0)


def test_text_size_volume_and_language_keep_the_screen_and_the_answers(kiosk: Watched) -> None:
    """Issue 13 item 3, on screens reached by htmx swaps: the reason, a question, a time
    choice, the check screen, a blood-pressure step and the rest (whose countdown goes on)."""
    person, controls, page = Person(kiosk.page), Controls(kiosk.page), kiosk.page
    page.goto("/")
    person.tap("Prendre rendez-vous")
    person.sees("Qui vient voir le médecin ?")
    person.tap(re.compile(r"^JEANNE MARTIN"), exact=False)
    person.sees("Pourquoi voulez-vous voir le médecin ?")
    controls.keep_the_place("Pourquoi voulez-vous voir le médecin ?",
                            "Why do you want to see the doctor?")
    person.tap("Fièvre")
    person.sees("Avez-vous du mal à respirer ?")
    controls.keep_the_place("Avez-vous du mal à respirer ?", "Is it hard for you to breathe?",
                            ("Question 1 sur 3", "Question 1 of 3"))
    for answer in ("Oui", "Non", "Non"):
        person.tap(answer)
    person.picks_a_later_day()
    day = (page.locator("main p.lead").first.text_content() or "").strip()
    controls.keep_the_place("À quelle heure ?", "At what time?")
    expect(page.locator("main p.lead").first).to_have_text(day)  # the day chosen stays
    first = page.locator("main button[value^='slot:']").first
    time = (first.text_content() or "").strip()
    first.click()
    person.sees("Vérifiez votre rendez-vous")
    controls.keep_the_place(
        "Vérifiez votre rendez-vous", "Check your appointment",
        ("Fièvre", "Fever"),
        ("Avez-vous du mal à respirer ? Oui", "Is it hard for you to breathe? Yes"),
        ("Avez-vous très mal à la tête ou à la nuque ? Non",
         "Do you have a bad pain in your head or neck? No"))
    expect(page.locator(".summary")).to_contain_text(time)
    with page.expect_navigation():  # Terminer wipes the visit: a whole new page
        page.get_by_role("button", name="Terminer").click()

    person.tap("Mesurer ma tension")
    person.tap("Commencer")
    person.sees("Asseyez-vous bien au fond du siège.")
    controls.keep_the_place("Asseyez-vous bien au fond du siège.", "Sit well back in the seat.")
    for _step in range(3):
        person.tap("C'est fait")
    person.sees("Reposez-vous un moment.")
    countdown = page.locator("[data-countdown]")
    controls.keep_the_place("Reposez-vous un moment.", "Rest for a moment.")
    expect(countdown).not_to_have_text("1:00")  # the rest goes on: it did not start again
