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
# Words after a clock time that place it before noon ("du matin") or after ("du soir").
_MORNING: Mapping[str, frozenset[Tokens]] = {
    "fr": frozenset({("matin",)}),
    "en": frozenset({("a", "m"), ("am",), ("in", "morning")}),
}
_LATER: Mapping[str, frozenset[Tokens]] = {
    "fr": frozenset({("apres", "midi"), ("soir",)}),
    "en": frozenset({("p", "m"), ("pm",), ("in", "afternoon"), ("in", "evening")}),
}


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


def read_ordinal(toks: Tokens, start: int, lang: str) -> tuple[int, int] | None:
    """An ordinal day at ``toks[start:]`` ("premier", "fourth", "3rd") as (day, next index)."""
    ordinals = _ordinals(lang)
    for end in range(min(len(toks), start + _LONGEST_NUMBER), start, -1):
        value = ordinals.get(" ".join(toks[start:end]))
        if value is not None:
            return value, end
    return None


def read_day(toks: Tokens, start: int, lang: str) -> tuple[int, int] | None:
    """A day of the month at ``toks[start:]`` ("premier", "trois", "3rd") as (day, next index)."""
    ordinal = read_ordinal(toks, start, lang)
    if ordinal is not None:
        return ordinal
    found = read_number(toks, start, lang, 31)
    return found if found and found[0] >= 1 else None


def _clock(hour: int, minute: int, suffix: Tokens, lang: str) -> tuple[int, int] | None:
    morning, later = _MORNING[lang], _LATER[lang]
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
    if len(toks) >= 2 and toks[0] == "half" and toks[1] not in ("past", "to"):
        # "half nine": half past nine, as the British say it.
        hour = read_whole_number(toks[1:], "en", 12)
        return _clock(hour, 30, suffix, "en") if hour else None
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


@cache
def _months(lang: str) -> Mapping[str, int]:
    return MappingProxyType({fold(m): i for i, m in enumerate(lexicon(lang).months, start=1)})


def _without_weekday(toks: Tokens, lang: str) -> Tokens:
    """A date's words without the weekday said before it ("lundi quinze mars")."""
    weekdays = {fold(w) for w in lexicon(lang).weekdays}
    return toks[1:] if toks and toks[0] in weekdays else toks


def parse_date(toks: Tokens, lang: str) -> tuple[int, int] | None:
    """A day of the year (day, month): "le premier mars", "lundi quinze mars", "march 15th"."""
    months = _months(lang)
    if not months:
        return None
    toks = _without_weekday(toks, lang)
    if len(toks) >= 2 and toks[-1] in months:
        found = read_day(toks, 0, lang)
        month = months[toks[-1]]
        if not found or found[1] != len(toks) - 1:
            return None
        day = found[0]
    elif len(toks) >= 2 and toks[0] in months and lang == "en":
        found = read_day(toks, 1, lang)
        month = months[toks[0]]
        if not found or found[1] != len(toks):
            return None
        day = found[0]
    else:
        return None
    # 2024 is a leap year: the 29th of February is a valid answer.
    return (day, month) if day <= calendar.monthrange(2024, month)[1] else None


# Years said in full: "mille neuf cent cinquante", "dix-neuf cent cinquante", "deux mille trois",
# "nineteen hundred", "two thousand and five". (folded words, century)
_CENTURIES: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    "fr": (
        (("mille", "neuf", "cent"), 1900),
        (("mil", "neuf", "cent"), 1900),
        (("dix", "neuf", "cent"), 1900),
        (("deux", "mille"), 2000),
    ),
    "en": (
        (("one", "thousand", "nine", "hundred", "and"), 1900),
        (("one", "thousand", "nine", "hundred"), 1900),
        (("nineteen", "hundred", "and"), 1900),
        (("nineteen", "hundred"), 1900),
        (("two", "thousand", "and"), 2000),
        (("two", "thousand"), 2000),
    ),
}
# "dix-neuf cinquante", "nineteen fifty": the century said as a number, then the year.
_SHORT_CENTURY = {"fr": ("dix", "neuf"), "en": ("nineteen",)}


def read_full_year(toks: Tokens, start: int, lang: str) -> tuple[int, int] | None:
    """A year said with its century at ``toks[start:]``, as (year, next index)."""
    if start < len(toks) and len(toks[start]) == 4 and toks[start].isdigit():
        return int(toks[start]), start + 1
    for words, century in _CENTURIES.get(lang, ()):
        if toks[start : start + len(words)] == words:
            rest = start + len(words)
            found = read_number(toks, rest, lang, 99)
            return (century + found[0], found[1]) if found else (century, rest)
    short = _SHORT_CENTURY.get(lang)
    if short and toks[start : start + len(short)] == short:
        rest = start + len(short)
        if lang == "en" and rest < len(toks) and toks[rest] == "oh":
            found = read_number(toks, rest + 1, lang, 9)
        else:
            found = read_number(toks, rest, lang, 99)
        if found and (found[0] >= 10 or lang == "en"):
            return 1900 + found[0], found[1]
    return None


def read_year(toks: Tokens, start: int, lang: str) -> tuple[int, int] | None:
    """A year of birth at ``toks[start:]``: in full, or its last two numbers ("cinquante"
    is 1950: the kiosk's users were born in the 1900s when they say only two)."""
    found = read_full_year(toks, start, lang)
    if found is not None:
        return found
    found = read_number(toks, start, lang, 99)
    return (1900 + found[0], found[1]) if found else None


def parse_birth_date(toks: Tokens, lang: str) -> tuple[int, int, int] | None:
    """A whole date with its year, (day, month, year): "le trois mars mille neuf cent
    cinquante", "trois mars cinquante", "le onze onze quarante-quatre", "march third
    nineteen fifty". Every word must be used."""
    months = _months(lang)
    if not months:
        return None
    toks = _without_weekday(toks, lang)
    if len(toks) >= 3 and toks[0] in months and lang == "en":
        month, found = months[toks[0]], read_day(toks, 1, lang)
        if found is None:
            return None
        day, index = found
    else:
        found = read_day(toks, 0, lang)
        if found is None or found[1] >= len(toks):
            return None
        day, index = found
        if toks[index] in months:
            month, index = months[toks[index]], index + 1
        else:
            number = read_number(toks, index, lang, 12)
            if number is None or number[0] < 1:
                return None
            month, index = number
    year = read_year(toks, index, lang)
    if year is None or year[1] != len(toks):
        return None
    if not 1 <= day <= calendar.monthrange(year[0], month)[1]:
        return None
    return day, month, year[0]


@cache
def _code_table(lang: str) -> Mapping[Tokens, str]:
    lex = lexicon(lang)
    table = {tuple(fold(spoken).split()): char for spoken, char in lex.letters.items()}
    table.update({tuple(fold(spoken).split()): digit for spoken, digit in lex.digits.items()})
    return MappingProxyType(table)


def _zeros(toks: Tokens, lang: str) -> Tokens:
    """ "oh" said beside a digit is a zero ("oh six one two" in English), not the letter O."""
    zero = {fold(w) for w in lexicon(lang).zero}
    if not zero or not zero & set(toks):
        return toks
    numbers = number_values(lang, 99)

    def digit(i: int) -> bool:
        return 0 <= i < len(toks) and (toks[i] in numbers or toks[i] in zero)

    return tuple(_zero_word(lang) if w in zero and (digit(i - 1) and toks[i - 1] not in zero
                                                      or digit(i + 1)) else w
                 for i, w in enumerate(toks))


@cache
def _zero_word(lang: str) -> str:
    """How zero is written among the number words of ``lang``."""
    return next(w for w, n in number_values(lang, 9).items() if n == 0 and not w.isdigit())


UNHEARD = "[unk]"


@cache
def _alphabet(lang: str) -> Mapping[str, str]:
    lex = lexicon(lang)
    return MappingProxyType({fold(word): letter.lower() for letter, words
                             in lex.spelling_alphabet.items() for word in words})


@cache
def _links(lang: str) -> tuple[Tokens, ...]:
    return tuple(sorted((tuple(fold(p).split()) for p in lexicon(lang).spelling_links),
                        key=len, reverse=True))


def _letter_before(out: list[str], lang: str) -> str | None:
    """The letter the last words of ``out`` name ("ka", "double vé"), if they name one."""
    table = _code_table(lang)
    for size in (2, 1):
        char = table.get(tuple(out[-size:])) if len(out) >= size else None
        if char is not None and char.isalpha():
            return char.lower()
    return None


def _spelled(toks: Tokens, lang: str) -> Tokens | None:
    """Letters said the way people spell them, as letters: "b comme Bernard" and "b for
    bravo" are "b" (the word after the link must start with the letter: ``None`` when it does
    not; a word not heard there is only the example), a word of a spelling alphabet alone
    ("kilo", "Anatole") is its letter, and "double three" is "three three"."""
    lex = lexicon(lang)
    alphabet, digits = _alphabet(lang), number_values(lang, 9)
    out: list[str] = []
    i = 0
    while i < len(toks):
        link = next((k for k in _links(lang) if toks[i : i + len(k)] == k), None)
        if link is not None and i + len(link) < len(toks):
            word = toks[i + len(link)]
            letter = _letter_before(out, lang)
            if letter is None:
                if word not in alphabet:
                    return None
                out.append(alphabet[word])  # "comme Anatole": A
            elif word != UNHEARD and fold(word)[:1] != letter:
                return None  # "b comme Pierre": which one?
            i += len(link) + 1
            continue
        times = lex.repeats.get(toks[i])
        if times and i + 1 < len(toks) and toks[i + 1] in digits:
            out += [toks[i + 1]] * times
            i += 2
            continue
        pair = " ".join(toks[i : i + 2])
        if pair in alphabet:  # "x ray"
            out.append(alphabet[pair])
            i += 2
            continue
        if toks[i] in alphabet and tuple(toks[i : i + 1]) not in _code_table(lang):
            out.append(alphabet[toks[i]])
        else:
            out.append(toks[i])
        i += 1
    return tuple(out) if UNHEARD not in out else None


def read_code(toks: Tokens, lang: str) -> str | None:
    """Letters and digits said one by one ("ka sept èm"), numbers ("vingt et un" -> "21"),
    or years ("mille neuf cent cinquante" -> "1950"), letters spelled with a word ("b comme
    Bernard", "kilo"); ``None`` unless every word is used."""
    spelled = _spelled(_zeros(toks, lang), lang)
    if spelled is None:
        return None
    toks = spelled
    table = _code_table(lang)
    out: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i].isdigit() and toks[i].isascii():
            out.append(toks[i])  # digits as written: "06", "1945"
            i += 1
            continue
        year = read_full_year(toks, i, lang)
        if year is not None and year[1] > i + 1:
            out.append(str(year[0]))
            i = year[1]
            continue
        found = read_number(toks, i, lang, 99)
        if found is not None and found[1] > i + 1:
            # "quatre-vingt-neuf" is 89, not a 4 then 29.
            out.append(str(found[0]))
            i = found[1]
            continue
        for size in (2, 1):
            char = table.get(toks[i : i + size]) if i + size <= len(toks) else None
            if char is not None:
                break
        if char is not None:
            out.append(char)
            i += size
            continue
        if found is None:
            return None
        out.append(str(found[0]))
        i = found[1]
    return "".join(out) or None
