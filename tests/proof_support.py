"""A person at the kiosk finding their appointment with the ticket's code, then giving the
second proof (SECURITY.md item 23): the birth date typed on the big keys."""

from __future__ import annotations

from support import Kiosk

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def type_code(kiosk: Kiosk, code: str) -> None:
    """From the welcome screen: J'ai un rendez-vous, the code on the keypad, Valider."""
    kiosk.open("/")
    kiosk.tap("J'ai un rendez-vous")
    assert kiosk.question == "Comment trouver votre rendez-vous ?"
    kiosk.tap("Avec le code du rendez-vous")
    for char in code:
        kiosk.tap(char)
    kiosk.tap("Valider")


def give_birth_date(kiosk: Kiosk, day: int, month: int, year: int) -> None:
    """On "Pour votre sécurité": the birth date, as when booking (day, month, year)."""
    assert kiosk.question == "Pour votre sécurité", kiosk.question
    kiosk.tap("Taper ma date de naissance")
    kiosk.tap(str(day))
    kiosk.tap(MONTHS[month - 1])
    for digit in str(year):
        kiosk.tap(digit)
    kiosk.tap("Valider")


def find_by_code(kiosk: Kiosk, code: str, born: tuple[int, int, int]) -> None:
    """The code typed, then the birth date (day, month, year) as the second proof."""
    type_code(kiosk, code)
    give_birth_date(kiosk, *born)
