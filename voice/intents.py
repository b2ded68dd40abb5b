"""Words -> intent: a pure function of the recognised (or typed) words and the current step.

The matcher never raises and never guesses between two readings. Every way to read
the words (:mod:`voice.readings`) covers some of them; a reading that covers another
one's words and more wins ("j'ai mal au ventre" is "Ventre", not "Douleur"), then,
on the very same words, the stronger evidence (a day shown on screen over a keyword).
Two readings that still disagree make the answer ``unknown``, and the kiosk asks
again (DESIGN.md: read back, then offer the buttons after two misunderstandings).
A negation that an agreeing reading does not itself explain cancels it: "pas
d'accord" is never "d'accord". Labels are compared with rapidfuzz as a last resort,
so a slightly different form ("pharmacie central") still selects the one label
that fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from rapidfuzz import fuzz, process

from voice.answers import NO, UNKNOWN, YES, Intent, Kind, choice, code, command, date, time
from voice.grammar import Step
from voice.lexicon import lexicon
from voice.parsing import read_code
from voice.phrases import Said, Tokens, hear
from voice.readings import Reading, read
from voice.screen import Screen, screen
from voice.text import fold, tokens

__all__ = ["NO", "UNKNOWN", "YES", "Intent", "Kind", "choice", "code", "command", "date",
           "match", "time"]

# token_set_ratio is 100 when one side's words are all in the other; 85 lets a
# missing accent or a dropped letter through, and nothing much else.
_FUZZY_CUTOFF = 85.0
_FUZZY_MARGIN = 5.0
# Words this short carry no meaning of their own ("j", "ai", "s").
_SMALL = 2


@cache
def _alone(lang: str) -> dict[Tokens, Intent]:
    """Commands that count only as the whole answer ("pardon ?", "comment ?")."""
    return {tokens(p): command(name) for name, forms in lexicon(lang).alone.items()
            for p in forms}


@cache
def _alone_words(lang: str) -> frozenset[str]:
    return frozenset(w for phrase in _alone(lang) for w in phrase)


def _said_alone(said: Said) -> Intent | None:
    if not said.complete:
        return None
    kept = _alone_words(said.lang)
    plain = tuple(w for i, w in enumerate(said.words) if i in said.meaning or w in kept)
    return _alone(said.lang).get(plain)


@cache
def _spelling(lang: str) -> frozenset[str]:
    lex = lexicon(lang)
    return frozenset(w for p in (*lex.letters, *lex.digits) for w in fold(p).split())


def _code(said: Said, step: Step) -> Intent | None:
    """A code said on a keypad screen: letters and digits, every word used (fillers and
    linking words that are no letter name aside: "en mille neuf cent cinquante")."""
    if not said.complete:
        return None  # a letter may be missing
    core = said.meaning
    spelled = tuple(w for i, w in enumerate(said.words)
                    if i not in said.fillers and (i in core or w in _spelling(said.lang)))
    value = read_code(spelled, step.lang) if spelled else None
    return code(value) if value else None


@cache
def _glue(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon(lang).negated_yes_glue)


def _negating(said: Said, span: frozenset[int]) -> frozenset[int]:
    """The negations that bear on words ``span``: outside it, in the same clause."""
    if not span:
        return said.negations
    first, last = min(span), max(span)

    def same_clause(n: int) -> bool:
        low, high = (n, first) if n < first else (last, n)
        return not any(low < c < high for c in said.contrasts)

    return frozenset(n for n in said.negations - span if same_clause(n))


def _agrees(reading: Reading, scr: Screen) -> bool:
    """Whether ``reading`` says yes (or picks the screen's "Oui" choice)."""
    yes_index = scr.answer("yes")
    return reading.intent == YES or (reading.intent.kind == "choice" and yes_index is not None
                                     and reading.intent.index == yes_index)


@cache
def _certainty(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon(lang).certainty)


def _turned(reading: Reading, said: Said, scr: Screen) -> Reading | None:
    """A yes turned around by its own negation is a no, on a yes/no question only:
    "je ne suis pas d'accord", "ne l'annulez pas", "c'est pas ça". The negation must
    touch the yes (only small words between); a bare "non" beside a "oui" is not that
    ("oui non" is unclear)."""
    if not scr.step.yes_no or not _agrees(reading, scr):
        return None
    if any(said.words[i] in _certainty(said.lang) for i in reading.span):
        return None  # "not sure" is doubt, not "no"
    bare = fold(lexicon(said.lang).no[0])
    negations = {i for i in _negating(said, reading.span) if said.words[i] != bare}
    if not negations:
        return None
    first, last = min(reading.span), max(reading.span)
    for n in negations:
        between = range(n + 1, first) if n < first else range(last + 1, n)
        if any(i in said.meaning and i not in said.negations
               and said.words[i] not in _glue(said.lang) for i in between):
            return None
    no_index = scr.answer("no")
    return Reading(NO if no_index is None else choice(no_index),
                   reading.span | frozenset(negations), reading.strength, positive=False)


@cache
def _common(lang: str) -> frozenset[str]:
    return frozenset(w for phrase in lexicon(lang).common for w in fold(phrase).split())


def _fuzzy_choice(said: Said, scr: Screen) -> Intent | None:
    # Only a real word may be near a label: "j'ai" is in "J'ai un rendez-vous" by chance.
    if not any(len(w) >= 4 and w not in _common(said.lang) for w in said.core_words):
        return None
    labels = [" ".join(c.core) for c in scr.choices]
    best = process.extract(" ".join(said.core_words), labels, scorer=fuzz.token_set_ratio,
                           limit=2)
    if not best or best[0][1] < _FUZZY_CUTOFF:
        return None
    if len(best) > 1 and best[1][1] > best[0][1] - _FUZZY_MARGIN:
        return None
    return choice(best[0][2])


def _small(said: Said, span: frozenset[int]) -> bool:
    """Whether these words are only small ones ("j'ai": "j", "ai")."""
    return all(len(said.words[i]) <= _SMALL for i in span)


def _resolve(readings: list[Reading], said: Said) -> Intent:
    """The one intent the readings agree on, or ``unknown``."""
    alive = readings
    # A reading that covers another's words and more is the more specific one; so is one
    # that overlaps another and adds a real word where the other adds only small ones
    # ("mal au ventre" against "j'ai mal" in "j'ai mal au ventre").
    alive = [r for r in alive
             if not any(o.intent != r.intent and (r.span < o.span or (
                 r.span & o.span and _small(said, r.span - o.span)
                 and not _small(said, o.span - r.span))) for o in alive)]
    # The same words read two ways: the stronger evidence.
    alive = [r for r in alive
             if not any(o.intent != r.intent and r.span & o.span and o.strength > r.strength
                        for o in alive)]
    intents = {r.intent for r in alive}
    return intents.pop() if len(intents) == 1 else UNKNOWN


def _understand(said: Said, step: Step) -> Intent:
    if (alone := _said_alone(said)) is not None:
        return alone
    scr = screen(step)
    found = read(said, scr)
    # On a keypad, spelled letters and digits; where a date is asked, a date said first.
    dated = step.years and any(r.intent.kind == "date" for r in found.found)
    if step.code and not dated and (spelled := _code(said, step)) is not None:
        return spelled
    # The words all readings of one intent explain together ("non, je ne l'ai pas").
    covers: dict[Intent, frozenset[int]] = {}
    for reading in found.found:
        covers[reading.intent] = covers.get(reading.intent, frozenset()) | reading.span
    readings: list[Reading] = []
    blocked: list[tuple[Reading, frozenset[int], frozenset[int]]] = []
    for reading in found.found:
        cover = covers[reading.intent]
        negations = _negating(said, cover)
        if cover & said.negations and not _agrees(reading, scr):
            # Already a "no" of its own ("non, pas aujourd'hui"): another negation repeats it.
            negations = frozenset()
        if not reading.positive or not negations:
            readings.append(reading)
        else:
            # Negated: a "no" if it was a yes, else it only stands in the way of a guess.
            turned = _turned(Reading(reading.intent, cover, reading.strength), said, scr)
            if turned is not None:
                readings.append(turned)
            else:
                blocked.append((Reading(UNKNOWN, reading.span, reading.strength, False),
                                negations, cover))
    # A reading cancelled by a negation that another reading of the same words explains is
    # answered: "je n'ai pas ma carte vitale" is "Je n'ai pas de carte", not also "carte vitale".
    readings += [marker for marker, negations, cover in blocked
                 if not any(r.intent != UNKNOWN and negations <= r.span and r.span & cover
                            for r in readings)]
    if readings:
        return _resolve(readings, said)
    if said.negations or not said.meaning or not scr.choices:
        return UNKNOWN
    return _fuzzy_choice(said, scr) or UNKNOWN


def match(words: str | Sequence[str], step: Step) -> Intent:
    """The intent of ``words`` (a transcript or its word list) on ``step``; never raises.

    Hesitations and politeness ("euh", "ben", "s'il vous plaît") are ignored, case
    and accents do not matter, ``[unk]`` words are dropped, and a decoy word
    (models without ``[unk]``) makes the whole utterance ``unknown``.
    """
    try:
        text = words if isinstance(words, str) else " ".join(words)
        said = hear(text, step.lang)
        decoys = {tokens(d) for d in lexicon(step.lang).decoys}
        if not said.words or any(d and d == said.words[i : i + len(d)] for d in decoys
                                 for i in range(len(said.words))):
            return UNKNOWN
        return _understand(said, step)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        # A defect in a parser must cost one "pardon ?", never the screen.
        return UNKNOWN
