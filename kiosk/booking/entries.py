"""Checking what a person enters: names, birth date, NIR, phone number (SECURITY.md item 9).

Each check returns the clean value or raises ``EntryError`` with a plain sentence (a message
id, translated by the view) that says what is wrong and what to do.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum.fr import nir as stdnum_nir

NAME_MAX = 40
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAME_EXTRA = "ÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ-' "
DIGITS = "0123456789"
NIR_KEYS = DIGITS + "AB"  # 2A and 2B: Corsica
MONTHS = (
    _l("janvier"),
    _l("février"),
    _l("mars"),
    _l("avril"),
    _l("mai"),
    _l("juin"),
    _l("juillet"),
    _l("août"),
    _l("septembre"),
    _l("octobre"),
    _l("novembre"),
    _l("décembre"),
)
OLDEST = 120


class EntryError(ValueError):
    """What the person entered cannot be used; ``message`` says why in plain words."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def clean_name(typed: str) -> str:
    """A surname or first name: letters, accents, hyphen, apostrophe and spaces."""
    text = " ".join(unicodedata.normalize("NFC", typed).upper().split())
    if not text:
        raise EntryError(_l("Le nom est vide. Touchez les lettres de votre nom."))
    if len(text) > NAME_MAX:
        raise EntryError(_l("Ce nom est trop long. Effacez des lettres."))
    if any(ch not in LETTERS + NAME_EXTRA for ch in text) or not any(
        ch in LETTERS for ch in _strip_accents(text)
    ):
        raise EntryError(_l("Ce nom a un signe qui n'est pas une lettre."))
    return text


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def clean_birth_date(day: int, month: int, year: int, today: date) -> date:
    """A real date, not in the future, at most 120 years ago."""
    try:
        born = date(year, month, day)
    except ValueError:
        raise EntryError(_l("Cette date n'existe pas. Vérifiez le jour.")) from None
    if born > today:
        raise EntryError(_l("Cette date est dans le futur. Vérifiez l'année."))
    if today.year - year > OLDEST:
        raise EntryError(_l("Cette année est trop ancienne. Vérifiez l'année."))
    return born


# The birth date on big keys: a day (1 to 31) and a month are touched on a grid, the year is
# typed on digits. The booking journey and the appointment's second proof use these same parts.
DATE_PARTS = {"day": 31, "month": 12}


def date_part_options(field: str) -> list[dict[str, str]]:
    """The grid of days (1 to 31) or of months (janvier to décembre)."""
    if field == "day":
        return [{"value": str(d), "icon": "calendar", "word": str(d)} for d in range(1, 32)]
    return [{"value": str(i + 1), "icon": "calendar", "word": str(name)}
            for i, name in enumerate(MONTHS)]


def clean_date_part(field: str, value: str) -> int:
    """A day or a month touched on the grid, as a number."""
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= DATE_PARTS[field]:
        raise EntryError(_l("Touchez un des boutons."))
    return int(value)


def clean_year(typed: str, today: date) -> int:
    """A four-digit year of birth."""
    if len(typed) != 4 or any(ch not in DIGITS for ch in typed):
        raise EntryError(_l("L'année a 4 chiffres. Par exemple 1950."))
    year = int(typed)
    if year > today.year or today.year - year > OLDEST:
        raise EntryError(_l("Cette année n'est pas possible. Vérifiez l'année."))
    return year


def clean_nir(typed: str) -> str:
    """A NIR (numéro de sécurité sociale) whose key is right, as 15 characters."""
    text = "".join(typed.upper().split())
    if len(text) != 15:
        raise EntryError(_l("Le numéro a 15 chiffres. Vérifiez le numéro."))
    if not stdnum_nir.is_valid(text):
        raise EntryError(_l("Ce numéro n'est pas juste. Vérifiez les 2 derniers chiffres."))
    return text


def sex_from_nir(nir: str) -> str | None:
    """F or M from the first digit of a NIR (1 and 7 men, 2 and 8 women)."""
    return {"1": "M", "7": "M", "2": "F", "8": "F"}.get(nir[:1])


def clean_phone(typed: str) -> str:
    """A French phone number: 10 digits starting with 0, not 00."""
    # Only ASCII digits: str.isdigit() would also let through other scripts' digits.
    text = "".join(ch for ch in typed if ch in DIGITS)
    if len(text) != 10 or not text.startswith("0") or text[1] == "0":
        raise EntryError(_l("Le numéro de téléphone a 10 chiffres. Il commence par 0."))
    return text


# What each field's screen asks, and the line under it: booking types the identity with them,
# the second proof (kiosk.appointment.second) the birth date.
QUESTIONS = {
    "surname": lambda: _("Quel est votre nom de famille ?"),
    "first_name": lambda: _("Quel est votre prénom ?"),
    # Neutral words: the kiosk does not know yet whether it speaks to a man or a woman.
    "year": lambda: _("Votre date de naissance : quelle année ?"),
    "nir": lambda: _("Quel est votre numéro de sécurité sociale ?"),
    "phone": lambda: _("Quel est votre numéro de téléphone ?"),
}
DATE_QUESTIONS = {
    "day": lambda: _("Votre date de naissance : quel jour ?"),
    "month": lambda: _("Votre date de naissance : quel mois ?"),
}
HINTS = {
    # Typed by someone who has no card: the number is on their insurance papers.
    "nir": lambda: _("Il est sur vos papiers de l'Assurance Maladie. Vous pouvez passer."),
    "phone": lambda: _("Le médecin peut vous appeler. Vous pouvez passer."),
    "year": lambda: _("Touchez les 4 chiffres. Par exemple 1 9 5 0."),
}
