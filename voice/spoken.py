"""Text as it must be read aloud: numbers, times, dates, measures and codes written out in words.

espeak-ng reads "14 h 30" as "quatorze h trente" and "115/74" as a fraction, so
every text goes through :func:`normalise` before synthesis (DESIGN.md "Speech").
Languages other than French and English are returned unchanged.
"""

from __future__ import annotations

import datetime as dt
import re

from num2words import num2words

SUPPORTED = ("fr", "en")

_WEEKDAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Letter names as espeak-ng pronounces them correctly. "iks" would be read "ik"
# (final s is silent in French), so X is written "ixe"; E is "e" because espeak
# reads "eu" as /y/.
_LETTERS = {
    "fr": dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                "a",
                "bé",
                "cé",
                "dé",
                "e",
                "èf",
                "gé",
                "ache",
                "i",
                "ji",
                "ka",
                "èl",
                "èm",
                "ène",
                "o",
                "pé",
                "ku",
                "ère",
                "èsse",
                "té",
                "u",
                "vé",
                "double vé",
                "ixe",
                "i grec",
                "zède",
            ),
            strict=True,
        )
    ),
    # espeak-ng's English voice says a lone capital by its name.
    "en": {c: c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
}
_BP_JOINER = {"fr": "sur", "en": "over"}
_UNITS = {
    "fr": (
        (re.compile(r"\bmm\s?Hg\b"), "millimètres de mercure"),
        (re.compile(r"\s?%"), " pour cent"),
    ),
    "en": (
        (re.compile(r"\bmm\s?Hg\b"), "millimetres of mercury"),
        (re.compile(r"\s?%"), " percent"),
    ),
}

_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_FR_TIME_RE = re.compile(r"\b([01]?\d|2[0-3])\s*(?:h|H|:)\s*([0-5]\d)?(?![\w/])")
_EN_TIME_RE = re.compile(
    r"\b([01]?\d|2[0-3])(?::([0-5]\d))?\s*(?:([ap])\.?\s?m\b\.?)?", re.IGNORECASE
)
_BP_RE = re.compile(r"\b(\d{2,3})\s*/\s*(\d{2,3})\b")
_FR_ORDINAL_RE = re.compile(r"\b1\s?(er|re|ère)\b")
_EN_ORDINAL_RE = re.compile(r"\b(\d+)(st|nd|rd|th)\b")
_DECIMAL_RE = {"fr": re.compile(r"\b(\d+),(\d+)\b"), "en": re.compile(r"\b(\d+)\.(\d+)\b")}
_INT_RE = re.compile(r"\b\d+\b")


def say_number(number: int, lang: str) -> str:
    """``number`` in words ("vingt et un", "twenty-one")."""
    return str(num2words(number, lang=lang))


def say_time(hour: int, minute: int, lang: str) -> str:
    """A clock time in words: (14, 30) -> "quatorze heures trente", (12, 0) -> "midi"."""
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"not a time: {hour}:{minute}")
    if lang == "fr":
        if hour in (0, 12):
            head = "minuit" if hour == 0 else "midi"
        else:
            # Hours are feminine: "une heure", "vingt et une heures".
            words = say_number(hour, "fr")
            words = re.sub(r"\bun$", "une", words)
            head = f"{words} heure" + ("s" if hour > 1 else "")
        return head if minute == 0 else f"{head} {say_number(minute, 'fr')}"
    if lang == "en":
        if minute == 0 and hour in (0, 12):
            return "midnight" if hour == 0 else "noon"
        twelve = hour % 12 or 12
        # espeak-ng reads "AM" and "PM" as letters, which is how they are said.
        suffix = "AM" if hour < 12 else "PM"
        if minute == 0:
            return f"{say_number(twelve, 'en')} {suffix}"
        mins = say_number(minute, "en") if minute >= 10 else f"oh {say_number(minute, 'en')}"
        return f"{say_number(twelve, 'en')} {mins} {suffix}"
    return f"{hour}:{minute:02d}"


def say_date(day: dt.date, lang: str, *, weekday: bool = True, year: bool = False) -> str:
    """A date in words: 2025-12-01 -> "lundi premier décembre" / "Monday, December first"."""
    if lang == "fr":
        number = "premier" if day.day == 1 else say_number(day.day, "fr")
        text = f"{number} {_MONTHS['fr'][day.month - 1]}"
        if weekday:
            text = f"{_WEEKDAYS['fr'][day.weekday()]} {text}"
        return f"{text} {num2words(day.year, lang='fr')}" if year else text
    if lang == "en":
        text = f"{_MONTHS['en'][day.month - 1]} {num2words(day.day, lang='en', to='ordinal')}"
        if weekday:
            text = f"{_WEEKDAYS['en'][day.weekday()]}, {text}"
        return f"{text}, {num2words(day.year, lang='en', to='year')}" if year else text
    return day.isoformat()


def spell_code(code: str, lang: str) -> str:
    """A code read one character at a time: "K7M3QX" -> "ka, sept, èm, trois, ku, ixe"."""
    letters = _LETTERS.get(lang, _LETTERS["en"])
    spoken = []
    for char in code.upper():
        if char.isdigit():
            spoken.append(say_number(int(char), lang if lang in SUPPORTED else "en"))
        elif char in letters:
            spoken.append(letters[char])
        elif not char.isspace() and char not in "-.":
            spoken.append(char)
    return ", ".join(spoken)


def _fr_time(match: re.Match[str]) -> str:
    return say_time(int(match[1]), int(match[2] or 0), "fr")


def _en_time(match: re.Match[str]) -> str:
    # A bare number is not a time in English; only "2:30", "2 pm", "2:30 pm".
    if match[2] is None and match[3] is None:
        return match[0]
    hour = int(match[1])
    if match[3] and hour <= 12:
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
    text = say_time(hour, int(match[2] or 0), "en")
    return text + (" " if match[0].endswith(" ") else "")


def normalise(text: str, lang: str) -> str:
    """``text`` with dates, times, measures and numbers written out for the TTS in ``lang``."""
    if lang not in SUPPORTED:
        return text

    def date(match: re.Match[str]) -> str:
        try:
            when = dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return match[0]
        return say_date(when, lang, year=True)

    text = _DATE_RE.sub(date, text)
    text = (_FR_TIME_RE if lang == "fr" else _EN_TIME_RE).sub(
        _fr_time if lang == "fr" else _en_time, text
    )
    text = _BP_RE.sub(
        lambda m: f"{say_number(int(m[1]), lang)} {_BP_JOINER[lang]} {say_number(int(m[2]), lang)}",
        text,
    )
    for pattern, words in _UNITS[lang]:
        text = pattern.sub(words, text)
    if lang == "fr":
        text = _FR_ORDINAL_RE.sub(lambda m: "premier" if m[1] == "er" else "première", text)
    else:
        text = _EN_ORDINAL_RE.sub(
            lambda m: str(num2words(int(m[1]), lang="en", to="ordinal")), text
        )
    decimal_word = "virgule" if lang == "fr" else "point"
    text = _DECIMAL_RE[lang].sub(
        lambda m: (
            f"{say_number(int(m[1]), lang)} {decimal_word} "
            + " ".join(say_number(int(d), lang) for d in m[2])
            if m[2].startswith("0")
            else f"{say_number(int(m[1]), lang)} {decimal_word} {say_number(int(m[2]), lang)}"
        ),
        text,
    )
    return _INT_RE.sub(lambda m: _say_digits(m[0], lang), text)


def _say_digits(digits: str, lang: str) -> str:
    """A written number, its leading zeros said too ("06" is "zéro six", as a phone number
    is read)."""
    zeros = len(digits) - len(digits.lstrip("0"))
    if zeros == 0 or zeros == len(digits):
        return say_number(int(digits), lang)
    return " ".join([say_number(0, lang)] * zeros + [say_number(int(digits[zeros:]), lang)])
