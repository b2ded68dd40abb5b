"""Long content on pages, never below the fold (issue 13 item 6, ACCESSIBILITY.md item 27).

With "Texte plus grand" a screen holds about half as much: its list, its summary or its keys
come on pages, with "Précédent" and "Suite" as ordinary visible controls. They are spoken
with the screen, voice can touch them like any button, and every answer already given stays.
(Whether each page really fits the screen is the browser harness's: tests/browser/fit.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from support import Kiosk

from kiosk.speech import rendering as speech
from voice.grammar import Step
from voice.intents import choice, command, match

ICONS = Path(__file__).resolve().parents[2] / "templates" / "icons"


@pytest.fixture(autouse=True)
def parler_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a unit with a speech model: "Parler" takes its row above the footer."""
    monkeypatch.setattr("kiosk.speech.recognition.offered", lambda: True)


def options(kiosk: Kiosk) -> list[str]:
    assert kiosk.soup is not None
    return [" ".join(b.get_text().split()) for b in kiosk.soup.select("main button.option")]


def pager_links(kiosk: Kiosk) -> dict[str, str]:
    assert kiosk.soup is not None
    return {" ".join(a.get_text().split()): a["href"] for a in kiosk.soup.select("main .pager a")}


def back_link(kiosk: Kiosk) -> str:
    assert kiosk.soup is not None
    return str(kiosk.soup.select_one(".navbar a[data-voice='back']")["href"])


def larger_text(kiosk: Kiosk) -> None:
    kiosk.tap("Texte plus grand")


def type_names_without_card(kiosk: Kiosk) -> None:
    """Into the booking, straight to the names typed on big keys, then to the day of birth.
    (The screens before them are the booking flow's, not this module's.)"""
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.open("/booking/you/surname")
    kiosk.type("DURAND")
    kiosk.tap("Valider")
    kiosk.type("JEANNE")
    kiosk.tap("Valider")
    assert kiosk.client_path() == "/booking/you/day"


def to_the_reason(kiosk: Kiosk) -> None:
    type_names_without_card(kiosk)
    kiosk.tap("15")
    kiosk.tap("mars")
    kiosk.type("1941")
    kiosk.tap("Valider")
    kiosk.tap("Passer")  # the social security number
    kiosk.tap("Passer")  # the phone number
    kiosk.tap("Oui, c'est moi")
    assert kiosk.client_path() == "/booking/reason"


def test_with_normal_text_the_reasons_fit_on_one_screen(portal_app: Flask, kiosk: Kiosk) -> None:
    to_the_reason(kiosk)
    assert len(options(kiosk)) == 8
    assert pager_links(kiosk) == {}


def test_with_larger_text_a_long_list_comes_on_pages_and_every_answer_stays(
    portal_app: Flask, kiosk: Kiosk
) -> None:
    type_names_without_card(kiosk)
    assert len(options(kiosk)) == 31 and pager_links(kiosk) == {}
    larger_text(kiosk)
    assert kiosk.client_path() == "/booking/you/day"
    days: list[str] = []
    pages = 0
    while True:
        pages += 1
        shown = options(kiosk)
        assert shown and len(shown) < 31
        assert f"Page {pages} sur " in kiosk.text
        days += shown
        if pages == 1:
            assert set(pager_links(kiosk)) == {"Suite"}
            assert back_link(kiosk) == "/booking/you/first_name"
        else:
            # Retour turns back one page, like "Précédent": said aloud, both do the same.
            assert back_link(kiosk) == pager_links(kiosk)["Précédent"]
            assert back_link(kiosk) == f"/booking/you/day?page={pages - 1}"
        if "Suite" not in pager_links(kiosk):
            break
        kiosk.tap("Suite")
    assert days == [str(day) for day in range(1, 32)] and pages > 1

    kiosk.tap("28")  # a choice on a later page counts like any other
    assert kiosk.client_path() == "/booking/you/month"
    kiosk.tap("Retour")
    kiosk.tap("Retour")
    assert kiosk.client_path() == "/booking/you/first_name"
    assert kiosk.soup is not None
    assert kiosk.soup.select_one("output.typed").get_text() == "JEANNE"  # nothing lost


def test_the_pager_is_spoken_and_answers_to_voice(portal_app: Flask, kiosk: Kiosk) -> None:
    type_names_without_card(kiosk)
    larger_text(kiosk)
    page = kiosk.response.get_data(as_text=True)  # type: ignore[union-attr]
    said = speech.screen_utterance(page, "fr", asked=False).text
    assert "Page un sur" in said and "Suite." in said
    assert "neuf." in said and "trente" not in said  # only what is on the screen
    # What listen.js sends: the visible buttons and links of <main>, in screen order.
    assert kiosk.soup is not None
    labels = tuple(" ".join(c.get_text().split()) for c in kiosk.soup.select("main button, main a"))
    assert match("suite", Step("fr", choices=labels)) == choice(labels.index("Suite"))
    kiosk.tap("Suite")
    labels = tuple(" ".join(c.get_text().split()) for c in kiosk.soup.select("main button, main a"))
    assert "Précédent" in labels
    # "précédent" names the page button (a command word held by one label picks that choice,
    # tests/voice/test_meaning.py); said as Retour instead, it would go to the same place.
    assert match("précédent", Step("fr", choices=labels)) == choice(labels.index("Précédent"))
    assert pager_links(kiosk)["Précédent"] == back_link(kiosk) == "/booking/you/day?page=1"
    assert match("retour", Step("fr", choices=labels)) == command("back")


def summary_rows(kiosk: Kiosk) -> tuple[list[str], int]:
    """Every row of the summary, page after page, and how many pages; Confirmer on each."""
    rows: list[str] = []
    pages = 1
    while True:
        assert kiosk.soup is not None
        rows += [" ".join(dt.get_text().split()) for dt in kiosk.soup.select("main dt")]
        assert kiosk.soup.select("main button[data-primary]")  # Confirmer
        if "Suite" not in pager_links(kiosk):
            return rows, pages
        kiosk.tap("Suite")
        pages += 1


def test_the_summary_is_one_screen_and_on_pages_with_larger_text_confirmer_on_each(
    portal_app: Flask, kiosk: Kiosk
) -> None:
    to_the_reason(kiosk)
    kiosk.tap("Fièvre")
    while kiosk.client_path().startswith("/booking/question/"):  # every question answered
        kiosk.tap("Non")
    kiosk.tap(next(b for b in options(kiosk) if b.startswith("Le plus tôt possible")))
    assert kiosk.client_path() == "/booking/check"
    every_row, pages = summary_rows(kiosk)
    assert len(every_row) >= 8 and pages == 1  # the "Confirmer at y=1135"
    # Issue 13 item 12: "Modifier" shows a pencil, not the backspace of "Effacer".
    assert kiosk.soup is not None
    drawn = {tuple(p["d"] for p in a.select("svg path")) for a in kiosk.soup.select("a.change")}
    assert drawn == {tuple(re.findall(r'd="([^"]+)"', (ICONS / "edit.svg").read_text()))}
    larger_text(kiosk)
    rows, pages = summary_rows(kiosk)
    assert rows == every_row and pages > 1
    kiosk.tap("Confirmer")
    assert kiosk.client_path() == "/booking/done"


def test_with_larger_text_and_an_error_the_keys_go_on_pages_beside_valider(
    portal_app: Flask, kiosk: Kiosk
) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.open("/booking/you/surname")
    larger_text(kiosk)
    assert kiosk.client_path() == "/booking/you/surname"
    every_key = keys(kiosk)
    assert len(every_key) == 44 and pager_links(kiosk) == {}  # every key fits
    kiosk.tap("Valider")  # nothing typed: the error takes room
    assert kiosk.soup is not None and kiosk.soup.select("main .error")
    first = keys(kiosk)
    assert first[:26] == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ") and len(first) < 44
    assert kiosk.soup is not None and kiosk.soup.select("main button[value='ok']")  # Valider
    # The error was said and shown; the next screen is the keypad again, every key on it.
    kiosk.tap("Suite")
    assert keys(kiosk) == every_key and pager_links(kiosk) == {}
    kiosk.tap("Ç")
    kiosk.type("A")
    assert kiosk.soup.select_one("output.typed").get_text() == "ÇA"


def keys(kiosk: Kiosk) -> list[str]:
    assert kiosk.soup is not None
    return [str(k["value"]) for k in kiosk.soup.select("main button.key")]
