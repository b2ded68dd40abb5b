"""Every way an utterance can be read on a screen, each with the words it explains.

A reading is an intent, the words it covers (its span) and how strong the evidence
is. :mod:`voice.intents` then keeps the reading that explains the most, and asks
again when two readings that fit as well disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from voice.answers import NO, UNKNOWN, YES, Intent, choice, command, date, time
from voice.days import said_days
from voice.lexicon import lexicon, words_of
from voice.parsing import (
    parse_birth_date,
    parse_date,
    parse_time,
    read_day,
    read_ordinal,
    read_whole_number,
)
from voice.phrases import (
    Key,
    Said,
    Span,
    Tokens,
    core_of,
    find,
    find_stems,
    key_of,
    keys_apart,
)
from voice.screen import Screen
from voice.stems import stem
from voice.text import fold, tokens

# How strong a reading is, from a whole answer down to a guess.
WHOLE = 50  # the whole answer is a label, a position, a code
DAY_OR_TIME = 40  # a day or a clock time that a choice shows
DECLARED = 35  # the screen's own words for a choice; yes and no to a yes/no question
LABEL = 30  # a whole label inside a longer answer; "whenever"; a page button
STEM = 25  # the screen's own words for a choice, said in another form ("annulez")
WORD = 20  # one distinctive word of a label; a command
WORD_STEM = 15  # a distinctive word of a label in another form ("commence", "Commencer")
ASIDE = 10  # words that name nothing on screen (a day not shown): they only stand in the way


@dataclass(frozen=True)
class Reading:
    """One way to read the utterance. A *positive* reading (an agreement, a choice) is
    cancelled by a negation it does not itself explain."""

    intent: Intent
    span: Span
    strength: int
    positive: bool = True
    # Said only with vague words ("mal", "le pharmacien"): gives way to a precise reading.
    weak: bool = False


@dataclass
class Readings:
    """All readings of an utterance."""

    found: list[Reading] = field(default_factory=list)
    # The parts of the day said apart from a clock time, with their hours [from, to).
    parts: list[tuple[Span, tuple[int, int]]] = field(default_factory=list)

    def add(self, intent: Intent, span: Span, strength: int, positive: bool = True,
            weak: bool = False) -> None:
        """Record one reading."""
        self.found.append(Reading(intent, span, strength, positive, weak))

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
def _positions(lang: str) -> tuple[tuple[tuple[Tokens, bool], ...], ...]:
    """Per choice index: the cores of its position words, and whether they are numbers."""
    out = []
    for forms in lexicon(lang).positions:
        out.append(tuple((core_of(f, lang), read_whole_number(core_of(f, lang), lang, 99)
                          is not None) for f in forms))
    return tuple(out)


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
        if c.number is not None:
            # ... said in a longer answer too: "the fourth of july" is "4".
            for k in range(len(core)):
                ordinal = read_ordinal(core, k, said.lang)
                if ordinal is not None and ordinal[0] == c.number:
                    out.add(choice(c.index), said.core_span(k, ordinal[1]), LABEL, positive)
        # "I have no card": "card" alone does not say "no".
        words = () if c.negated else c.words
        for word in words:
            for span in find(said, Key((word,))):
                out.add(choice(c.index), span, WORD, positive)
            # Another form of a label's word is a hint only: "répétez la question" asks to
            # repeat, whatever "Passer les questions" says.
            for span in find_stems(said, Key((stem(word, said.lang),))):
                out.add(choice(c.index), span, WORD_STEM, positive, weak=True)


@cache
def _negation_words(lang: str) -> frozenset[str]:
    return words_of(lang, "negations", "paired_negations")


def _negated_labels_of(said: Said, screen: Screen, out: Readings) -> None:
    """A label that says "not" ("Je n'ai pas de carte", "I have no card") read from its
    thing said right after a negation, however the verb is said or left out ("moi pas
    carte", "elle a pas sa carte", "i haven't got a card"). Only small words between:
    "la carte ne rentre pas" says something else."""
    small = words_of(said.lang, "function_words", "stopwords", "objects", "subjects")
    for c in screen.choices:
        if not c.negated:
            continue
        things = {w for w in c.core if w not in small and w not in _negation_words(said.lang)}
        for n in said.negations:
            j = n + 1
            while j < len(said.words) and (j in said.fillers or said.words[j] in small):
                j += 1
            if j < len(said.words) and said.words[j] in things:
                out.add(choice(c.index), frozenset(range(n, j + 1)), DECLARED)


def _keywords_of(said: Said, screen: Screen, out: Readings) -> None:
    for key, index in screen.keywords:
        positive = screen.choices[index].answer != "no"
        for span in find(said, key):
            out.add(choice(index), span, DECLARED, positive)
    for key, index in screen.stemmed:
        positive = screen.choices[index].answer != "no"
        for span in find_stems(said, key):
            out.add(choice(index), span, STEM, positive)


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


# Orders about the kiosk's own voice: said by the speaker of themselves ("je relis", "je
# répète"), the same verbs are what the person does.
_VOICE_ORDERS = frozenset({"repeat", "louder", "quieter", "slower", "faster"})


def _by_the_speaker(said: Said, span: Span) -> bool:
    """Whether the phrase at ``span`` has the speaker as its subject just before it ("je
    relis"), without holding a subject itself ("je n'ai pas compris" holds its own)."""
    first = min(span)
    speaker = words_of(said.lang, "speaker")
    return first > 0 and said.words[first - 1] in speaker and not any(
        said.words[i] in speaker for i in span)


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
                if meaning[1] in _VOICE_ORDERS and _by_the_speaker(said, span):
                    continue
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


def _same_time(said: tuple[int, int], shown: tuple[int, int], exact: bool) -> bool:
    # "deux heures" picks a "14 h 00" slot: people rarely say the 24-hour form. Not so
    # "dix heures du soir", "quatre heures du matin", "quatorze heures".
    if exact or said[0] > 12:
        return said == shown
    return said[1] == shown[1] and said[0] % 12 == shown[0] % 12


def _times_of(said: Said, screen: Screen, out: Readings, skip: Span = frozenset()) -> Span:
    """Clock times said ("neuf heures et demie"): the choices showing them. Returns the
    words used by times, which are then not read as days. Words in ``skip`` (a part of the
    day: the "midi" of "après-midi") are no part of a time."""
    core = said.core_words
    used: set[int] = set()
    start = 0
    while start < len(core):
        if said.core[start] in skip:
            start += 1
            continue
        stop = next((k for k in range(start, len(core)) if said.core[k] in skip), len(core))
        # A part of the day may end a time ("neuf heures du matin"), never start one (the
        # "midi" of "après-midi").
        while stop < len(core) and said.core[stop] in skip:
            stop += 1
        for end in range(stop, start, -1):
            clock = parse_time(core[start:end], said.lang)
            if clock:
                break
        else:
            start += 1
            continue
        span = said.core_span(start, end)
        used |= span
        exact = bool(span & skip) or _morning(said, span)
        shown = [c.index for c in screen.choices if c.time and _same_time(clock, c.time, exact)]
        for index in shown:
            out.add(choice(index), span, DAY_OR_TIME)
        if not shown and screen.timed:
            out.aside(span)
        if screen.step.times and not screen.timed and span == said.whole and said.complete:
            out.add(time(*clock), span, DAY_OR_TIME)
        start = end
    return frozenset(used)


def _hour_alone(said: Said, screen: Screen, out: Readings) -> None:
    """A number said alone on a list of times is an hour ("dix", "nine"): the time shown at
    that hour o'clock. (Elsewhere a number alone is a place in the list, a day, a digit.)"""
    if not screen.timed or not said.complete or not said.core:
        return
    hour = read_whole_number(said.core_words, said.lang, 23)
    if hour is None or hour == 0:
        return
    shown = [c.index for c in screen.choices if c.time and _same_time((hour, 0), c.time, False)]
    for index in shown:
        out.add(choice(index), said.whole, DAY_OR_TIME)
    if not shown:
        out.aside(said.whole)


def _morning(said: Said, span: Span) -> bool:
    """Whether a time's words say the morning ("nine a m"), which the parts of the day the
    lexicon lists may not hold."""
    words = [said.words[i] for i in sorted(span)]
    pairs = zip(words, words[1:], strict=False)
    return "am" in words or any(a == "a" and b == "m" for a, b in pairs)


@cache
def _parts(lang: str) -> tuple[tuple[Key, tuple[int, int]], ...]:
    days = lexicon(lang).days
    if days is None:
        return ()
    found = [(key_of(p, lang), hours) for p, hours in days.parts.items()]
    return tuple(sorted(found, key=lambda pair: len(pair[0].words), reverse=True))


def parts_of_day(said: Said) -> list[tuple[Span, tuple[int, int]]]:
    """The parts of the day said ("l'après-midi", "in the morning"), longest first, each with
    its hours [from, to)."""
    found: list[tuple[Span, tuple[int, int]]] = []
    for key, hours in _parts(said.lang):
        for span in find(said, key):
            if not any(span & other for other, _hours in found):
                found.append((span, hours))
    return found


def _parts_of(said: Said, screen: Screen, out: Readings,
              parts: list[tuple[Span, tuple[int, int]]]) -> None:
    """A part of the day that only one time shown falls in ("l'après-midi" with one afternoon
    slot). With several, it picks none (the matcher then only checks that it fits)."""
    timed = [c for c in screen.choices if c.time]
    for span, (low, high) in parts:
        fits = [c.index for c in timed if c.time and low <= c.time[0] < high]
        if len(fits) == 1 and len(timed) > 1:
            out.add(choice(fits[0]), span, WORD)


@cache
def _sex_keys(lang: str) -> tuple[tuple[Key, str], ...]:
    # Said as they are, with their article: "une femme" is a preference, "ma femme" a wife.
    return tuple((Key(tokens(p), literal=True), sex)
                 for sex, phrases in lexicon(lang).sexes.items() for p in phrases)


@cache
def _titles(lang: str) -> dict[str, str]:
    return {fold(title): sex for title, sex in lexicon(lang).titles.items()}


def _people_of(said: Said, screen: Screen, out: Readings) -> None:
    """ "une femme de préférence", "the man": the one person of that sex among those shown,
    when the kiosk knows everyone's sex; "monsieur Dupont": the one man named Dupont, or the
    one Dupont shown whose sex the title does not contradict. A title that fits no one, or
    several, stands in the way of the name alone ("monsieur Martin" is not Claire Martin)."""
    people = screen.people
    if not people:
        _titled_names(said, screen, out, _titles(said.lang))
        return
    known = all(c.sex for c in people)
    for key, sex in _sex_keys(said.lang):
        for span in find(said, key):
            fits = [c.index for c in people if c.sex == sex]
            if known and len(fits) == 1:
                out.add(choice(fits[0]), span, LABEL)
            else:
                out.aside(span, DECLARED)
    titles = _titles(said.lang)
    for i, word in enumerate(said.words):
        titled = titles.get(word)
        named = next((j for j in range(i + 1, len(said.words)) if j in said.meaning), None)
        if titled is None or named is None:
            continue
        holders = [c for c in screen.choices if said.words[named] in c.names]
        if not holders:
            continue  # politeness: "oui madame"
        span = frozenset(range(i, named + 1))
        fits = [c.index for c in holders if c.sex == titled]
        if len(holders) == 1 and holders[0].sex in (None, titled):
            fits = [holders[0].index]
        elif not all(c.sex for c in holders):
            fits = []
        if len(fits) == 1:
            out.add(choice(fits[0]), span, LABEL)
        else:
            out.aside(span, DECLARED)


def _titled_names(said: Said, screen: Screen, out: Readings, titles: dict[str, str]) -> None:
    """A person named with a title ("le docteur Martin", "madame Martin") on a screen whose
    choices are no list of people: the one choice whose label happens to name that person
    ("Le plus tôt possible ... avec le docteur Claire Martin") is not what was asked for."""
    for i, word in enumerate(said.words):
        if word not in words_of(said.lang, "titles", "doctor_titles"):
            continue
        named = next((j for j in range(i + 1, len(said.words)) if j in said.meaning), None)
        if named is not None and any(said.words[named] in c.names for c in screen.choices):
            out.aside(frozenset(range(i, named + 1)), DECLARED)


def _alternatives_of(said: Said, out: Readings) -> None:
    """ "neuf ou dix heures", "tomorrow or the day after": two answers are no answer. A number
    before "ou" is an answer of its own; so are the words after it, unless they are read
    as an answer (then the two answers disagree, or agree: "toux ou rhume")."""
    core = said.core_words
    for k in range(1, len(core) - 1):
        if core[k] in words_of(said.lang, "alternatives"):
            if read_whole_number(core[k - 1 : k], said.lang, 99) is not None:
                out.aside(said.core_span(k - 1, k))
            out.aside(said.core_span(k, len(core)))


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
            if start and read_day(core, start - 1, said.lang) is not None:
                # "trente-deux mars" is not "deux mars"; nor is "the thirtieth of february
                # nineteen forty" the nineteenth: a date starts with its day.
                continue
            found = parse_birth_date(core[start:], said.lang)
            if found and not _cut(said, start):
                out.add(date(*found), said.core_span(start, len(core)), DAY_OR_TIME)
                return
    elif step.dates and not screen.dated and said.complete and (day := parse_date(core, said.lang)):
        # On a list of months, "le douze avril" is April.
        month = fold(lexicon(said.lang).months[day[1] - 1])
        listed = [c.index for c in screen.choices if c.core == (month,)]
        for index in listed:
            out.add(choice(index), said.whole, DAY_OR_TIME)
        if not listed:
            out.add(date(*day), said.whole, DAY_OR_TIME)


def _impossible_dates(said: Said, out: Readings) -> None:
    """A day the month does not have ("le trente février", "April the thirty-first") makes
    the whole answer none, on any screen: not the 30 of a list of days, not February."""
    core = said.core_words
    months = {fold(m): n for n, m in enumerate(lexicon(said.lang).months, start=1)}
    for k in range(len(core)):
        found = read_day(core, k, said.lang)
        if found is not None and found[1] < len(core) and core[found[1]] in months:
            day, month = found[0], months[core[found[1]]]
        elif core[k] in months and (found := read_day(core, k + 1, said.lang)) is not None:
            day, month = found[0], months[core[k]]
        else:
            continue
        if day > calendar.monthrange(2024, month)[1]:  # 2024: the 29th of February exists
            out.aside(said.whole, WHOLE)
            return


def _cut(said: Said, start: int) -> bool:
    """Whether a word not heard may belong to the date said from core word ``start``: inside
    it, or just before a date that starts with its month ("[unk] of february nineteen forty"
    may be the thirtieth)."""
    first = said.core[start]
    if any(first < i < said.core[-1] for i in said.unheard):
        return True
    months = {fold(m) for m in lexicon(said.lang).months}
    before = [i for i in said.unheard if i < first]
    return bool(before) and said.words[first] in months and all(
        i in said.fillers or said.words[i] in words_of(said.lang, "stopwords")
        for i in range(max(before) + 1, first))


@cache
def _questions(lang: str) -> tuple[Key, ...]:
    return tuple(key_of(p, lang) for p in lexicon(lang).questions)


def _questions_of(said: Said, out: Readings) -> None:
    """ "c'est quoi ?", "combien ?": asked back, the answer is no answer. A question word
    opens its clause or ends the answer; inside one, it asks nothing ("that's not what I
    said")."""
    if not said.core:
        return
    starts = {said.core[0]}
    for boundary in (*said.clauses, *said.contrasts):
        starts.add(next((i for i in said.core if i >= boundary), said.core[0]))
    for key in _questions(said.lang):
        for span in find(said, key):
            if min(span) in starts or max(span) == said.core[-1]:
                out.aside(span, WORD)


@cache
def _asking(lang: str) -> tuple[Tokens, ...]:
    return tuple(sorted({tokens(p) for p in lexicon(lang).asking}, key=len, reverse=True))


def _asked_again(said: Said, out: Readings) -> None:
    """ "qu'est-ce qu'elle dit", "comment vous dites", "what did the doctor say", "say the
    days again", "when is it again": a call to hear it again. Not when the sentence is for
    someone else ("attends Jacqueline, c'est quoi ton numéro", "what's your number again")."""
    words = said.words
    if not words or set(words) & words_of(said.lang, "someone_else"):
        return
    saying, again = words_of(said.lang, "saying"), words_of(said.lang, "again")
    asked = [(i, i + len(p)) for i in range(len(words)) for p in _asking(said.lang)
             if words[i : i + len(p)] == p]
    for start, end in asked:
        told = next((j for j in range(end, min(len(words), end + 5))
                     if words[j] in saying and not said.apart(start, j, subjects=False)), None)
        if told is not None:
            out.add(command("repeat"), frozenset(range(start, told + 1)), WORD)
    last = max((i for i in said.core), default=None)
    if last is None or words[last] not in again:
        return
    # "again" ending a question or an order to say or read it: "say the days again".
    opened = [start for start, _end in asked] + [k for k in range(last) if words[k] in saying]
    opened = [k for k in opened if not said.apart(k, last, subjects=False)]
    if opened:
        out.add(command("repeat"), frozenset(range(min(opened), last + 1)), WORD)


@cache
def _unsure_keys(lang: str) -> tuple[Key, ...]:
    return tuple(key_of(p, lang) for p in lexicon(lang).unsure)


def _cannot_do(said: Said, out: Readings) -> None:
    """ "je sais pas écrire avec ça": not knowing how to do something is a call for help
    (not knowing alone is no answer at all)."""
    endings = lexicon(said.lang).infinitive_endings
    if not endings:
        return
    small = words_of(said.lang, "function_words", "stopwords")
    for key in _unsure_keys(said.lang):
        for span in find(said, key):
            verb = next((i for i in said.core if i > max(span)), None)
            if verb is None or any(i in said.meaning for i in range(max(span) + 1, verb)):
                continue
            word = said.words[verb]
            if len(word) > 3 and word.endswith(endings) and word not in small:
                out.add(command("help"), span | {verb}, WORD)


@cache
def _vague(lang: str) -> tuple[Key, ...]:
    return tuple(key_of(p, lang) for p in lexicon(lang).vague)


def _weaken(said: Said, out: Readings) -> None:
    """Mark the readings said only with vague words ("mal", "le pharmacien", "sur la jambe")."""
    vague: set[int] = set()
    for key in _vague(said.lang):
        for span in find(said, key):
            vague |= span
    surface, parts = words_of(said.lang, "surface"), words_of(said.lang, "body_parts")
    for i in said.core:
        if said.words[i] in parts:
            # "sur la jambe", "on my arm": the place, with only small words between.
            j = i - 1
            while j >= 0 and said.words[j] not in surface and len(said.words[j]) <= 3:
                j -= 1
            if j >= 0 and said.words[j] in surface:
                vague |= set(range(j, i + 1))
    if not vague:
        return
    out.found = [Reading(r.intent, r.span, r.strength, r.positive, weak=r.weak or (
        bool(r.span & said.meaning) and r.span & said.meaning <= vague)) for r in out.found]


def read(said: Said, screen: Screen) -> Readings:
    """Every reading of ``said`` on ``screen``."""
    out = Readings()
    _questions_of(said, out)
    _asked_again(said, out)
    _cannot_do(said, out)
    _positions_of(said, screen, out)
    _labels_of(said, screen, out)
    _keywords_of(said, screen, out)
    _negated_labels_of(said, screen, out)
    _fixed_of(said, screen, out)
    _people_of(said, screen, out)
    _alternatives_of(said, out)
    parts = parts_of_day(said) if screen.step.today or screen.timed else []
    in_parts = frozenset(i for span, _hours in parts for i in span)
    used_by_times = _times_of(said, screen, out, in_parts)
    _hour_alone(said, screen, out)
    out.parts = [(span, hours) for span, hours in parts if not span & used_by_times]
    _parts_of(said, screen, out, out.parts)
    _days_of(said, screen, out, used_by_times)
    _dates_of(said, screen, out)
    _impossible_dates(said, out)
    _weaken(said, out)
    return out
