"""Numbers, clock times and dates read from folded words (pure functions, no exceptions).

Input is a tuple of tokens already folded (:func:`voice.text.fold`) with fillers
and stopwords removed ("à quatorze heures trente" -> ("quatorze", "heures", "trente")).
Each parser consumes the whole input or returns ``None``.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from num2words import num2words

from voice.lexicon import lexicon, number_values
from voice.text import fold

Tokens = tuple[str, ...]
# Number phrases are at most four words long ("quatre vingt dix neuf").
_LONGEST_NUMBER = 5


def read_number(toks: Tokens, start: int, lang: str, upto: int = 59) -> tuple[int, int] | None:
    """The longest number phrase at ``toks[start:]`` as (value, next index), or ``None``."""
    table = number_values(lang, upto)
    for end in range(min(len(toks), start + _LONGEST_NUMBER), start, -1):
        value = table.get(" ".join(toks[start:end]))
        if value is not None:
            return value, end
    return None


def read_whole_number(toks: Tokens, lang: str, upto: int = 59) -> int | None:
    """``toks`` as one number, or ``None`` if anything is left over."""
    found = read_number(toks, 0, lang, upto)
    return found[0] if found and found[1] == len(toks) else None


@cache
def _ordinals(lang: str) -> Mapping[str, int]:
    table = {fold(str(num2words(n, lang=lang, to="ordinal"))): n for n in range(1, 32)}
    if lang == "fr":
        table.update({"premier": 1, "premiere": 1, "1 er": 1, "1 re": 1, "1 ere": 1})
    else:
        suffixes = {1: "st", 2: "nd", 3: "rd"}
        for n in range(1, 32):
            suffix = "th" if 10 <= n % 100 <= 20 else suffixes.get(n % 10, "th")
            table[f"{n} {suffix}"] = n
    return MappingProxyType(table)


def _read_day(toks: Tokens, start: int, lang: str) -> tuple[int, int] | None:
    ordinals = _ordinals(lang)
    for end in range(min(len(toks), start + _LONGEST_NUMBER), start, -1):
        value = ordinals.get(" ".join(toks[start:end]))
        if value is not None:
            return value, end
    found = read_number(toks, start, lang, 31)
    return found if found and found[0] >= 1 else None


def _clock(hour: int, minute: int, suffix: Tokens, lang: str) -> tuple[int, int] | None:
    morning = {"fr": {("matin",)}, "en": {("a", "m"), ("am",), ("in", "morning")}}[lang]
    later = {
        "fr": {("apres", "midi"), ("soir",)},
        "en": {("p", "m"), ("pm",), ("in", "afternoon"), ("in", "evening")},
    }[lang]
    if suffix in later:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + 12
    elif suffix in morning:
        if hour > 12:
            return None
        hour = hour % 12
    elif suffix:
        return None
    return (hour, minute) if 0 <= hour <= 23 and 0 <= minute <= 59 else None


def _split_suffix(toks: Tokens, lang: str) -> tuple[Tokens, Tokens]:
    for size in (2, 1):
        tail = toks[-size:]
        if len(toks) > size and tail in {
            ("matin",),
            ("apres", "midi"),
            ("soir",),
            ("a", "m"),
            ("am",),
            ("p", "m"),
            ("pm",),
            ("in", "morning"),
            ("in", "afternoon"),
            ("in", "evening"),
        }:
            return toks[:-size], tail
    return toks, ()


def _minutes_fr(rest: Tokens) -> tuple[int, int] | None:
    """(hour shift, minutes) for what follows the hour: "et quart", "moins le quart", "trente"."""
    if not rest:
        return 0, 0
    if rest == ("et", "quart"):
        return 0, 15
    if rest in (("et", "demi"), ("et", "demie")):
        return 0, 30
    if rest == ("moins", "quart"):
        return -1, 45
    if rest[0] == "moins":
        before = read_whole_number(rest[1:], "fr")
        return (-1, 60 - before) if before and before < 30 else None
    minute = read_whole_number(rest, "fr")
    return (0, minute) if minute is not None else None


def parse_time_fr(toks: Tokens) -> tuple[int, int] | None:
    """French clock time: "quatorze heures trente", "midi et demi", "deux heures du soir"."""
    toks, suffix = _split_suffix(toks, "fr")
    if not toks:
        return None
    if toks[0] in ("midi", "minuit"):
        hour, index = (12 if toks[0] == "midi" else 0), 1
        if index < len(toks) and toks[index] in ("h", "heure", "heures"):
            return None
    else:
        found = read_number(toks, 0, "fr", 23)
        if not found or found[1] >= len(toks) or toks[found[1]] not in ("h", "heure", "heures"):
            return None
        hour, index = found[0], found[1] + 1
    shift = _minutes_fr(toks[index:])
    if shift is None:
        return None
    hour = (hour + shift[0]) % 24
    return _clock(hour, shift[1], suffix, "fr")


def parse_time_en(toks: Tokens) -> tuple[int, int] | None:
    """English clock time: "two thirty", "half past two", "quarter to three pm", "noon"."""
    toks, suffix = _split_suffix(toks, "en")
    if toks in (("noon",), ("midday",)) and not suffix:
        return 12, 0
    if toks == ("midnight",) and not suffix:
        return 0, 0
    if len(toks) >= 3 and toks[1] in ("past", "to"):
        minute = {"half": 30, "quarter": 15}.get(toks[0])
        hour = read_whole_number(toks[2:], "en", 12)
        if minute is None or not hour or (toks[0] == "half" and toks[1] == "to"):
            return None
        if toks[1] == "to":
            hour, minute = hour - 1, 60 - minute
        return _clock(hour, minute, suffix, "en")
    found = read_number(toks, 0, "en", 23)
    if not found:
        return None
    hour, rest = found[0], toks[found[1] :]
    if rest in (("o", "clock"), ("oclock",), ()):
        # A lone number is a time only with "o'clock" or am/pm.
        return _clock(hour, 0, suffix, "en") if rest or suffix else None
    if rest[0] == "oh":
        minute = read_whole_number(rest[1:], "en", 9)
    else:
        minute = read_whole_number(rest, "en")
        minute = minute if minute is None or minute >= 10 or rest[0].isdigit() else None
    return _clock(hour, minute, suffix, "en") if minute is not None else None


def parse_time(toks: Tokens, lang: str) -> tuple[int, int] | None:
    """A clock time (hour, minute) in ``lang``, or ``None``."""
    if lang == "fr":
        return parse_time_fr(toks)
    if lang == "en":
        return parse_time_en(toks)
    return None


def parse_date(toks: Tokens, lang: str) -> tuple[int, int] | None:
    """A day of the year (day, month): "le premier mars", "lundi quinze mars", "march 15th"."""
    lex = lexicon(lang)
    if not lex.months:
        return None
    months = {fold(m): i for i, m in enumerate(lex.months, start=1)}
    if toks and toks[0] in {fold(w) for w in lex.weekdays}:
        toks = toks[1:]
    if len(toks) >= 2 and toks[-1] in months:
        found = _read_day(toks, 0, lang)
        month = months[toks[-1]]
        if not found or found[1] != len(toks) - 1:
            return None
        day = found[0]
    elif len(toks) >= 2 and toks[0] in months and lang == "en":
        found = _read_day(toks, 1, lang)
        month = months[toks[0]]
        if not found or found[1] != len(toks):
            return None
        day = found[0]
    else:
        return None
    # 2024 is a leap year: the 29th of February is a valid answer.
    return (day, month) if day <= calendar.monthrange(2024, month)[1] else None
