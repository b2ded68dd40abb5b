"""Every way an utterance can be read on a screen, each with the words it explains.

A reading is an intent, the words it covers (its span) and how strong the evidence
is. :mod:`voice.intents` then keeps the reading that explains the most, and asks
again when two readings that fit as well disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from voice.answers import NO, UNKNOWN, YES, Intent, choice, command, date, time
from voice.days import said_days
from voice.lexicon import lexicon
from voice.parsing import parse_birth_date, parse_date, parse_time, read_day, read_whole_number
from voice.phrases import Key, Said, Span, core_of, find, key_of, keys_apart
from voice.screen import Screen

# How strong a reading is, from a whole answer down to a guess.
WHOLE = 50  # the whole answer is a label, a position, a code
DAY_OR_TIME = 40  # a day or a clock time that a choice shows
DECLARED = 35  # the screen's own words for a choice; yes and no to a yes/no question
LABEL = 30  # a whole label inside a longer answer; "whenever"; a page button
WORD = 20  # one distinctive word of a label; a command
ASIDE = 10  # words that name nothing on screen (a day not shown): they only stand in the way


@dataclass(frozen=True)
class Reading:
    """One way to read the utterance. A *positive* reading (an agreement, a choice) is
    cancelled by a negation it does not itself explain."""

    intent: Intent
    span: Span
    strength: int
    positive: bool = True


@dataclass
class Readings:
    """All readings of an utterance."""

    found: list[Reading] = field(default_factory=list)

    def add(self, intent: Intent, span: Span, strength: int, positive: bool = True) -> None:
        """Record one reading."""
        self.found.append(Reading(intent, span, strength, positive))

    def aside(self, span: Span, strength: int = ASIDE) -> None:
        """Words that name something no choice shows (a time, a day, a question asked back):
        they stand in the way of reading part of them as a label, and of any guess."""
        self.found.append(Reading(UNKNOWN, span, strength, positive=False))


@cache
def fixed_phrases(lang: str) -> tuple[tuple[Key, tuple[str, ...]], ...]:
    """The language's own phrases with what they mean: ("yes",), ("command", "help"),
    ("soonest",), ("next",), ("previous",)."""
    lex = lexicon(lang)
    pairs: list[tuple[str, tuple[str, ...]]] = [(p, ("yes",)) for p in lex.yes]
    pairs += [(p, ("no",)) for p in lex.no]
    for name, forms in lex.commands.items():
        pairs += [(p, ("command", name)) for p in forms]
    pairs += [(p, ("soonest",)) for p in lex.soonest]
    pairs += [(p, ("next",)) for p in lex.next_page]
    pairs += [(p, ("previous",)) for p in lex.previous_page]
    keys = keys_apart(pairs, lang)
    return tuple((keys[phrase], meaning) for phrase, meaning in pairs)


@cache
def _positions(lang: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Per choice index: the cores of its position words, and whether they are numbers."""
    out = []
    for forms in lexicon(lang).positions:
        out.append(tuple((core_of(f, lang), read_whole_number(core_of(f, lang), lang, 99)
                          is not None) for f in forms))
    return tuple(out)  # type: ignore[arg-type]


@cache
def _position_nouns(lang: str) -> frozenset[str]:
    return frozenset(w for p in lexicon(lang).position_nouns for w in core_of(p, lang))


@cache
def _last(lang: str) -> frozenset[tuple[str, ...]]:
    return frozenset(core_of(p, lang) for p in lexicon(lang).last)


def _stem(word: str) -> str:
    """A word without its verb or plural ending ("annulez", "annuler" -> "annul")."""
    for ending in ("ez", "er", "es", "e", "s"):
        if len(word) > 4 + len(ending) - 1 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _positions_of(said: Said, screen: Screen, out: Readings) -> None:
    """ "le deuxième", "numéro trois", "la deuxième personne", "la dernière"."""
    core = said.core_words
    if len(core) > 1 and core[-1] in _position_nouns(said.lang):
        core = core[:-1]
    if not core or not said.complete:
        return
    # On a list of days or times a number is a day or an hour, not a place in the list.
    numbers_mean_more = screen.dated or screen.timed
    for index, forms in enumerate(_positions(said.lang)[: len(screen.choices)]):
        if any(core == form and not (number and numbers_mean_more) for form, number in forms):
            out.add(choice(index), said.whole, WHOLE)
    if core in _last(said.lang):
        listed = [c.index for c in screen.choices if c.paging is None]
        if listed:
            out.add(choice(listed[-1]), said.whole, WHOLE)


def _labels_of(said: Said, screen: Screen, out: Readings) -> None:
    """A label said whole, inside a longer answer, or by a word only it has."""
    core = said.core_words
    number = read_day(core, 0, said.lang) if said.complete and core else None
    for c in screen.choices:
        positive = c.answer != "no"
        if c.core and core == c.core and said.complete:
            out.add(choice(c.index), said.whole, WHOLE, positive)
        elif c.number is not None and number == (c.number, len(core)):
            # A list of numbers: "the twenty-first" is the label "21".
            out.add(choice(c.index), said.whole, WHOLE, positive)
        elif c.core:
            for span in find(said, Key(c.core)):
                out.add(choice(c.index), span, LABEL, positive)
        # "I have no card": "card" alone does not say "no".
        words = () if c.negated else c.words
        for word in words:
            for span in find(said, Key((word,))):
                out.add(choice(c.index), span, WORD, positive)


def _keywords_of(said: Said, screen: Screen, out: Readings) -> None:
    for key, index in screen.keywords:
        positive = screen.choices[index].answer != "no"
        for span in find(said, key):
            out.add(choice(index), span, DECLARED, positive)


def _command_choice(said: Said, span: Span, screen: Screen) -> int | None:
    """The one choice whose label holds the command's own word ("annulez" and "Annuler le
    rendez-vous", "précédent" and the "Précédent" page button), if there is one."""
    said_stems = {_stem(said.words[i]) for i in span if i in said.meaning}
    if not said_stems:
        return None
    holders = [c.index for c in screen.choices if said_stems <= {_stem(w) for w in c.core}]
    return holders[0] if len(holders) == 1 else None


def _earliest(screen: Screen) -> int | None:
    """The choice with the earliest day and time, when choices show days or times."""
    first_day = dt.date.min
    keyed = sorted(((c.date or screen.step.today or first_day, c.time or (0, 0)), c.index)
                   for c in screen.choices if c.date or c.time)
    if not keyed or (len(keyed) > 1 and keyed[0][0] == keyed[1][0]):
        return None
    return keyed[0][1]


def _fixed_of(said: Said, screen: Screen, out: Readings) -> None:
    """Yes, no, the commands, "whenever", and the page buttons."""
    step = screen.step
    for key, meaning in fixed_phrases(said.lang):
        for span in find(said, key):
            kind = meaning[0]
            if kind in ("yes", "no"):
                if not step.yes_no:
                    continue
                index = screen.answer(kind)
                plain = YES if kind == "yes" else NO
                intent = plain if index is None else choice(index)
                out.add(intent, span, DECLARED, positive=kind == "yes")
            elif kind == "command":
                target = _command_choice(said, span, screen)
                out.add(command(meaning[1]) if target is None else choice(target), span, WORD)
            elif kind == "soonest":
                earliest = _earliest(screen)
                if earliest is not None:
                    out.add(choice(earliest), span, LABEL)
            else:
                pages = [c.index for c in screen.choices if c.paging == kind]
                if len(pages) == 1:
                    out.add(choice(pages[0]), span, LABEL)


def _same_time(said: tuple[int, int], shown: tuple[int, int]) -> bool:
    # "deux heures" picks a "14 h 00" slot: people rarely say the 24-hour form.
    return said[1] == shown[1] and said[0] % 12 == shown[0] % 12


def _times_of(said: Said, screen: Screen, out: Readings) -> Span:
    """Clock times said ("neuf heures et demie"): the choices showing them. Returns the
    words used by times, which are then not read as days."""
    core = said.core_words
    used: set[int] = set()
    start = 0
    while start < len(core):
        for end in range(len(core), start, -1):
            clock = parse_time(core[start:end], said.lang)
            if clock:
                break
        else:
            start += 1
            continue
        span = said.core_span(start, end)
        used |= span
        shown = [c.index for c in screen.choices if c.time and _same_time(clock, c.time)]
        for index in shown:
            out.add(choice(index), span, DAY_OR_TIME)
        if not shown and screen.timed:
            out.aside(span)
        if screen.step.times and not screen.timed and span == said.whole and said.complete:
            out.add(time(*clock), span, DAY_OR_TIME)
        start = end
    return frozenset(used)


def _days_of(said: Said, screen: Screen, out: Readings, skip: Span) -> None:
    """Days said ("après-demain", "lundi prochain", "le trois"): the choice for that day."""
    today = screen.step.today
    if today is None:
        return
    for day in said_days(said, today, skip):
        shown = [c.index for c in screen.choices if c.date in day.dates]
        if len(shown) == 1 and not day.ambiguous:
            out.add(choice(shown[0]), day.span, DAY_OR_TIME)
        elif day.named and screen.dated:
            # Not on screen, two shown days fit ("jeudi" with two Thursdays listed), or the
            # words name two weeks ("mardi" said on a Tuesday).
            out.aside(day.span)


def _dates_of(said: Said, screen: Screen, out: Readings) -> None:
    """A date asked for by the step ("le trois mars mille neuf cent cinquante")."""
    step = screen.step
    core = said.core_words
    if step.years:
        for start in range(len(core)):
            if start and read_whole_number(core[start - 1 : start], said.lang, 99) is not None:
                continue  # "trente-deux mars" is not "deux mars"
            found = parse_birth_date(core[start:], said.lang)
            if found:
                out.add(date(*found), said.core_span(start, len(core)), DAY_OR_TIME)
                return
    elif step.dates and not screen.dated and said.complete and (day := parse_date(core, said.lang)):
        out.add(date(*day), said.whole, DAY_OR_TIME)


@cache
def _questions(lang: str) -> tuple[Key, ...]:
    return tuple(key_of(p, lang) for p in lexicon(lang).questions)


def _questions_of(said: Said, out: Readings) -> None:
    """ "c'est quoi ?", "combien ?": asked back, the answer is no answer."""
    for key in _questions(said.lang):
        for span in find(said, key):
            out.aside(span, WORD)


def read(said: Said, screen: Screen) -> Readings:
    """Every reading of ``said`` on ``screen``."""
    out = Readings()
    _questions_of(said, out)
    _positions_of(said, screen, out)
    _labels_of(said, screen, out)
    _keywords_of(said, screen, out)
    _fixed_of(said, screen, out)
    used_by_times = _times_of(said, screen, out)
    _days_of(said, screen, out, used_by_times)
    _dates_of(said, screen, out)
    return out
