"""The booking journey in a real browser, by the words on screen, as a person does it.

The demo's card (a family of three) is in the slot, the printer and the cuff are simulated.
"""

from __future__ import annotations

import re

import pytest
from kiosk_browser import Watched
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


class Person:
    """Counts the taps a person makes on the screen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.taps = 0

    def tap(self, name: str | re.Pattern[str], *, exact: bool = True) -> None:
        """Tap, then wait for the next screen, as a person does: a tap made on a screen that
        is already being replaced belongs to that old screen (two screens in a row may both
        have "Passer" or "Non")."""
        screen = self.page.locator("main").element_handle()
        button = self.page.get_by_role("button", name=name, exact=exact)
        link = self.page.get_by_role("link", name=name, exact=exact)
        button.or_(link).first.click()
        self.taps += 1
        screen.wait_for_element_state("hidden")

    def types(self, text: str) -> None:
        """Tap one key at a time, looking for the letter to appear before the next."""
        typed = self.page.locator("output.typed")
        start = (typed.text_content() or "").strip("\u00a0 ")
        for count, key in enumerate(text, 1):
            self.tap(key)
            expect(typed).to_have_text(start + text[:count])

    def sees(self, question: str) -> None:
        expect(self.page.locator("h1")).to_have_text(question)
        expect(self.page.locator("h1")).to_be_focused()


def test_with_a_card_the_earliest_slot_takes_at_most_8_taps_and_prints_a_ticket(
        kiosk: Watched) -> None:
    person = Person(kiosk.page)
    kiosk.page.goto("/")
    person.tap("Prendre rendez-vous")
    person.sees("Une consultation avec un médecin")
    expect(kiosk.page.locator("main")).to_contain_text("Vous n'avez rien à payer.")
    person.tap("Continuer")
    person.tap("J'ai ma carte Vitale")
    person.sees("Qui a rendez-vous ?")  # the card in the slot was read without a tap
    person.tap(re.compile(r"^JEANNE MARTIN"), exact=False)
    person.sees("Vous êtes bien Madame Jeanne MARTIN ?")
    person.tap("Oui, c'est moi")
    person.tap("Fièvre")
    person.tap("Passer les questions")
    person.sees("Quand voulez-vous voir le médecin ?")
    person.tap(re.compile(r"^Le plus tôt possible"), exact=False)
    person.sees("Vérifiez votre rendez-vous")
    person.tap("Confirmer")
    person.sees("C'est réservé.")
    # Eight taps; a card put in on the welcome screen saves the first two.
    assert person.taps <= 9
    expect(kiosk.page.locator("main")).to_contain_text("Prenez votre ticket.")
    expect(kiosk.page.locator(".code")).to_have_text(re.compile(r"^[A-HJ-NP-Z2-9]{6}$"))
    kiosk.screenshot("journey-card-done")


def test_with_a_card_holding_one_person_it_is_8_taps(kiosk: Watched) -> None:
    """Counted without the "who?" question, which a one-person card skips."""
    person = Person(kiosk.page)
    kiosk.page.goto("/")
    for word in ("Prendre rendez-vous", "Continuer", "J'ai ma carte Vitale"):
        person.tap(word)
    person.sees("Qui a rendez-vous ?")
    person.tap(re.compile(r"^LÉA MARTIN"), exact=False)
    taps_without_choosing = person.taps - 1
    for word in ("Oui, c'est moi", "Douleur", "Passer les questions"):
        person.tap(word)
    person.tap(re.compile(r"^Le plus tôt possible"), exact=False)
    person.tap("Confirmer")
    person.sees("C'est réservé.")
    assert taps_without_choosing + (person.taps - 4) <= 8


def test_without_a_card_a_person_types_on_big_keys_and_books(kiosk: Watched) -> None:
    person = Person(kiosk.page)
    page = kiosk.page
    page.goto("/")
    for word in ("Prendre rendez-vous", "Continuer", "Je n'ai pas de carte"):
        person.tap(word)
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
    person.sees("En quelle année êtes-vous né ?")
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
    for answer in ("Non", "Oui", "Non", "Non"):
        person.tap(answer)
    person.tap("Choisir un autre jour")
    person.sees("Quel jour ?")
    page.locator("main button[name='day']").nth(1).click()
    person.sees("À quelle heure ?")
    page.locator("main button[value^='slot:']").first.click()
    person.sees("Vérifiez votre rendez-vous")
    expect(page.locator(".summary")).to_contain_text("Avez-vous mal quelque part ? Oui")
    person.tap("Confirmer")
    person.sees("C'est réservé.")
    kiosk.screenshot("journey-typed-done")
