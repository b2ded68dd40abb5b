"""Words -> intent: a pure function of the recognised (or typed) words and the current step.

The matcher never raises and never guesses between two readings: an utterance
that fits two different answers is ``unknown``, and the kiosk asks again
(DESIGN.md: read back, then offer the buttons after two misunderstandings).
Choice labels are compared with rapidfuzz so that part of a label ("Martin")
or a slightly different form ("pharmacie central") still selects it, when only
one label fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rapidfuzz import fuzz, process

from voice.grammar import Step, spoken_label
from voice.lexicon import Lexicon, lexicon
from voice.parsing import Tokens, parse_date, parse_time, read_number
from voice.text import fold, tokens

Kind = Literal["yes", "no", "choice", "command", "time", "date", "code", "unknown"]
# token_set_ratio is 100 when one side's words are all in the other; 85 lets a
# missing accent or a dropped letter through, and nothing much else.
_FUZZY_CUTOFF = 85.0
_FUZZY_MARGIN = 5.0


@dataclass(frozen=True)
class Intent:
    """What the person meant. ``index`` is 0-based; ``hour``/``minute`` as said (0-23)."""

    kind: Kind
    index: int | None = None
    name: str | None = None
    hour: int | None = None
    minute: int | None = None
    day: int | None = None
    month: int | None = None
    code: str | None = None


YES = Intent("yes")
NO = Intent("no")
UNKNOWN = Intent("unknown")


def choice(index: int) -> Intent:
    """The choice at 0-based ``index``."""
    return Intent("choice", index=index)


def command(name: str) -> Intent:
    """A command: help, repeat, back, cancel, louder, quieter, slower, faster."""
    return Intent("command", name=name)


def time(hour: int, minute: int) -> Intent:
    """A clock time."""
    return Intent("time", hour=hour, minute=minute)


def date(day: int, month: int) -> Intent:
    """A day of the year."""
    return Intent("date", day=day, month=month)


def code(value: str) -> Intent:
    """A code spelled out, upper case."""
    return Intent("code", code=value)


@cache
def _folded(phrases: tuple[str, ...]) -> tuple[Tokens, ...]:
    return tuple(tokens(p) for p in phrases)


def _strip(toks: Tokens, phrases: Iterable[Tokens]) -> Tokens:
    """``toks`` without any occurrence of ``phrases`` (longest first)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(toks):
        for phrase in ordered:
            if phrase and toks[i : i + len(phrase)] == phrase:
                i += len(phrase)
                break
        else:
            out.append(toks[i])
            i += 1
    return tuple(out)


def _contains(toks: Tokens, phrase: Tokens) -> bool:
    size = len(phrase)
    return size > 0 and any(toks[i : i + size] == phrase for i in range(len(toks) - size + 1))


def _core(toks: Tokens, lex: Lexicon) -> Tokens:
    return tuple(t for t in toks if t not in _stopwords(lex.lang))


@cache
def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon(lang).stopwords)


@cache
def _fixed_phrases(lang: str) -> tuple[tuple[Tokens, Intent], ...]:
    """Yes, no and command phrases with their intents, stopwords removed."""
    lex = lexicon(lang)
    fillers = _folded(lex.fillers)
    pairs = [(p, YES) for p in _folded(lex.yes)] + [(p, NO) for p in _folded(lex.no)]
    for name, forms in lex.commands.items():
        pairs += [(p, command(name)) for p in _folded(forms)]
    # Matched after fillers are gone, so they are stripped here too ("c'est ça" -> "ça").
    return tuple((_core(_strip(p, fillers), lex), intent) for p, intent in pairs)


@cache
def _code_table(lang: str) -> dict[Tokens, str]:
    lex = lexicon(lang)
    table = {tokens(spoken): char for spoken, char in lex.letters.items()}
    table.update({tokens(spoken): digit for spoken, digit in lex.digits.items()})
    return table


def _read_code(toks: Tokens, lang: str) -> str | None:
    """Letters and digits said one by one ("ka sept èm"), or numbers ("vingt et un" -> "21")."""
    table = _code_table(lang)
    out: list[str] = []
    i = 0
    while i < len(toks):
        for size in (2, 1):
            char = table.get(toks[i : i + size]) if i + size <= len(toks) else None
            if char is not None:
                break
        if char is not None:
            out.append(char)
            i += size
            continue
        found = read_number(toks, i, lang, 99)
        if found is None:
            return None
        out.append(str(found[0]))
        i = found[1]
    return "".join(out) or None


def _label_intents(core: Tokens, step: Step, lex: Lexicon) -> list[Intent]:
    """Choices whose label, time or date is what was said."""
    found = []
    said_time = parse_time(core, step.lang)
    said_date = parse_date(core, step.lang)
    for index, label in enumerate(step.choices):
        label_core = _core(tokens(spoken_label(label, step.lang)), lex)
        if core == label_core:
            return [choice(index)]
        label_time = parse_time(label_core, step.lang)
        # "deux heures" picks a "14 h 00" slot: people rarely say the 24-hour form.
        if (
            said_time
            and label_time
            and said_time[1] == label_time[1]
            and (said_time[0] % 12 == label_time[0] % 12)
        ):
            found.append(choice(index))
        elif said_date and said_date == parse_date(label_core, step.lang):
            found.append(choice(index))
    return found


def _fuzzy_choice(core: Tokens, step: Step, lex: Lexicon) -> Intent | None:
    labels = [" ".join(_core(tokens(spoken_label(c, step.lang)), lex)) for c in step.choices]
    best = process.extract(" ".join(core), labels, scorer=fuzz.token_set_ratio, limit=2)
    if not best or best[0][1] < _FUZZY_CUTOFF:
        return None
    if len(best) > 1 and best[1][1] > best[0][1] - _FUZZY_MARGIN:
        return None
    return choice(best[0][2])


def _match_core(toks: Tokens, step: Step, lex: Lexicon) -> Intent:
    core = _core(toks, lex)
    fixed = _fixed_phrases(step.lang)
    for phrase, intent in fixed:
        if core == phrase and (intent.kind == "command" or step.yes_no):
            return intent
    if step.code and (value := _read_code(toks, step.lang)):
        return code(value)
    for index, forms in enumerate(lex.positions[: len(step.choices)]):
        if any(core == _core(p, lex) for p in _folded(forms)):
            return choice(index)
    labels = _label_intents(core, step, lex)
    if len(set(labels)) == 1:
        return labels[0]
    if step.times and (clock := parse_time(core, step.lang)):
        return time(*clock)
    if step.dates and (day := parse_date(core, step.lang)):
        return date(*day)
    if labels:
        return UNKNOWN
    # Longer utterances: one answer phrase inside ("oui c'est bien ça").
    inside = {i for p, i in fixed if _contains(core, p) and (i.kind == "command" or step.yes_no)}
    if len(inside) == 1:
        return inside.pop()
    if not inside and step.choices and (picked := _fuzzy_choice(core, step, lex)):
        return picked
    return UNKNOWN


def match(words: str | Sequence[str], step: Step) -> Intent:
    """The intent of ``words`` (a transcript or its word list) on ``step``; never raises.

    Hesitations and politeness ("euh", "ben", "s'il vous plaît") are ignored, case
    and accents do not matter, ``[unk]`` words are dropped, and a decoy word
    (models without ``[unk]``) makes the whole utterance ``unknown``.
    """
    try:
        text = words if isinstance(words, str) else " ".join(words)
        lex = lexicon(step.lang)
        toks = tokens(text.replace("[unk]", " "))
        if any(_contains(toks, d) for d in _folded(lex.decoys)):
            return UNKNOWN
        toks = _strip(toks, _folded(lex.fillers))
        if not toks:
            return UNKNOWN
        return _match_core(toks, step, lex)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        # A defect in a parser must cost one "pardon ?", never the screen.
        return UNKNOWN
