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
from voice.corrections import corrected
from voice.grammar import Step
from voice.lexicon import lexicon, words_of
from voice.parsing import read_code
from voice.phrases import Key, Said, Tokens, find, hear, key_of
from voice.readings import DECLARED, STEM, WORD_STEM, Reading, read
from voice.screen import Screen, screen
from voice.speakers import in_first_person
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


@cache
def _long_fillers(lang: str) -> tuple[Tokens, ...]:
    """Politeness of several words ("s'il vous plaît"), whose words say nothing alone."""
    return tuple(p for p in (tokens(f) for f in lexicon(lang).fillers) if len(p) > 2)


def _said_alone(said: Said) -> Intent | None:
    if not said.complete:
        return None
    kept = _alone_words(said.lang)
    polite = {i for p in _long_fillers(said.lang) for k in range(len(said.words))
              if said.words[k : k + len(p)] == p for i in range(k, k + len(p))}
    plain = tuple(w for i, w in enumerate(said.words)
                  if i in said.meaning or (w in kept and i not in polite))
    return _alone(said.lang).get(plain)


@cache
def _spelling(lang: str) -> frozenset[str]:
    lex = lexicon(lang)
    return frozenset(w for p in (*lex.letters, *lex.digits, *lex.spelling_links)
                     for w in fold(p).split())


def _code(said: Said, step: Step) -> Intent | None:
    """A code said on a keypad screen: letters and digits, every word used (fillers and
    linking words that are no letter name aside: "en mille neuf cent cinquante"). A word not
    heard may be only the example of a spelled letter ("b comme [unk]")."""
    links = words_of(said.lang, "spelling_links")
    if any(i == 0 or said.words[i - 1] not in links for i in said.unheard):
        return None  # a letter may be missing
    core = said.meaning | said.unheard
    spelled = tuple(w for i, w in enumerate(said.words)
                    if i not in said.fillers and (i in core or w in _spelling(said.lang)))
    value = read_code(spelled, step.lang) if spelled else None
    return code(value) if value else None


@cache
def _bare_noes(lang: str) -> frozenset[str]:
    """The one-word noes that are also negations ("non", "nan", "no", "nope")."""
    lex = lexicon(lang)
    negations = {fold(w) for w in lex.negations}
    return frozenset(fold(p) for p in lex.no if fold(p) in negations)


@cache
def _noes(lang: str) -> tuple[Tokens, ...]:
    return tuple(tokens(p) for p in lexicon(lang).no)


def _echoed_no(said: Said) -> int | None:
    """An opening "non" that the words after it say again ("non, c'est faux"): its index."""
    first = next(iter(said.core), None)
    if first is None or said.words[first] not in _bare_noes(said.lang):
        return None
    rest = said.words[first + 1 :]
    echoed = any(len(no) > 1 and rest[: len(no)] == no for no in _noes(said.lang))
    return first if echoed else None


def _contrastive(said: Said, span: frozenset[int], n: int, other: frozenset[int] | None) -> bool:
    """Whether negation ``n`` opens a "not that" after the words ``span`` name: "pour André,
    pas pour moi", "demain, pas aujourd'hui". It follows them at once, is no "ne ... pas",
    the words it follows have no subject ("je l'ai pas sur moi" negates "je l'ai"), and
    the next word says something else: a pronoun, or words ``other`` (read as another
    answer). "Tension pas artérielle" is no "not that"."""
    last = max(span)
    if n <= last or any(i in said.meaning for i in range(last + 1, n)):
        return False
    paired = lexicon(said.lang).paired_negations
    if any(said.words[i] in paired for i in range(min(span), n)):
        return False
    if any(said.words[i] in words_of(said.lang, "subjects") for i in span):
        return False
    if other is None:
        return False
    following = next((i for i in said.core if i > n), None)
    return following is not None and not said.apart(n, following) and (
        following in other or said.words[following] in words_of(said.lang, "pronouns"))


def _instead(said: Said, reading: Reading, negations: frozenset[int],
             cover: frozenset[int]) -> bool:
    """Whether ``reading`` is said instead of the words ``cover`` that ``negations`` turn
    down just before them: "pas demain, après-demain", "pas de fièvre, mais je tousse"."""
    if not reading.positive or reading.intent.kind != "choice" or not negations:
        return False
    if min(reading.span) <= max(cover):
        return False
    first = min(cover)
    return all(n < first and not any(i in said.meaning and i not in said.negations
                                     for i in range(n + 1, first)) for n in negations)


def _negating(said: Said, span: frozenset[int],
              others: list[frozenset[int]] | None = None) -> frozenset[int]:
    """The negations that bear on words ``span``: outside it, in the same clause, and not
    opening a "not that" of their own after it, nor stopped before it by another answer
    (``others``: the spans read as other answers; ``None`` for a yes, which any negation
    in its clause turns around)."""
    other = None if others is None else frozenset(i for o in others for i in o)
    if not span:
        return said.negations
    echo = _echoed_no(said) if other is not None else None

    def bears(n: int) -> bool:
        if n == echo:
            return False  # "non, c'est faux, effacez": that "non" says "wrong", it negates nothing
        before = frozenset(i for i in span if i < n)
        after = [i for i in span if i > n]
        # "pas demain, après-demain": the "pas" stops at the first answer after it.
        between = bool(after) and any(n < min(o) and max(o) < min(after) for o in others or ())
        if after and not between and not said.apart(n, min(after), within=span):
            return True
        return bool(before) and not said.apart(max(before), n) and not _contrastive(
            said, before, n, other)

    return frozenset(n for n in said.negations - span if bears(n))


def _agrees(reading: Reading, scr: Screen) -> bool:
    """Whether ``reading`` says yes (or picks the screen's "Oui" choice)."""
    yes_index = scr.answer("yes")
    return reading.intent == YES or (reading.intent.kind == "choice" and yes_index is not None
                                     and reading.intent.index == yes_index)


def _opposite(reading: Reading, scr: Screen) -> Intent | None:
    """What ``reading`` negated says: no for a yes on a yes/no question; on a screen of two
    choices that say opposite things, the other one ("pas la vitale": "Je n'ai pas de carte")."""
    if scr.step.yes_no and _agrees(reading, scr):
        no_index = scr.answer("no")
        return NO if no_index is None else choice(no_index)
    if reading.intent.kind == "choice" and reading.intent.index is not None:
        other = scr.opposite(reading.intent.index)
        return None if other is None else choice(other)
    return None


def _turned(reading: Reading, said: Said, scr: Screen) -> Reading | None:
    """A yes turned around by its own negation is a no, on a yes/no question only:
    "je ne suis pas d'accord", "ne l'annulez pas", "c'est pas ça"; and a choice negated is
    its opposite, where the screen has one ("ma carte, je l'ai perdue"). The negation must
    touch the answer (only small words between); a bare "non" beside a "oui" is not that
    ("oui non" is unclear)."""
    turned = _opposite(reading, scr)
    if turned is None:
        return None
    if turned.kind == "choice" and turned.index != scr.answer("no") and reading.strength in (
            STEM, WORD_STEM):
        return None  # "elle rentre pas" is not "elle est rentrée" turned around: no card
    if any(said.words[i] in words_of(said.lang, "certainty") for i in reading.span):
        return None  # "not sure" is doubt, not "no"
    bare = fold(lexicon(said.lang).no[0])
    negations = {i for i in _negating(said, reading.span) if said.words[i] != bare}
    if not negations:
        return None
    first, last = min(reading.span), max(reading.span)
    # Words of the two opposite labels may stand between too: "je n'ai pas ma carte vitale".
    labels = set() if scr.step.yes_no else {
        w for c in scr.choices for w in c.core}
    for n in negations:
        between = range(n + 1, first) if n < first else range(last + 1, n)
        if any(i in said.meaning and i not in said.negations and said.words[i] not in labels
               and said.words[i] not in words_of(said.lang, "negated_yes_glue")
               for i in between):
            return None
    return Reading(turned, reading.span | frozenset(negations), reading.strength, positive=False)


def _fuzzy_choice(said: Said, scr: Screen) -> Intent | None:
    # Only a real word may be near a label: "j'ai" is in "J'ai un rendez-vous" by chance.
    if not any(len(w) >= 4 and w not in words_of(said.lang, "common") for w in said.core_words):
        return None
    labels = [" ".join(c.core) for c in scr.choices]
    best = process.extract(" ".join(said.core_words), labels, scorer=fuzz.token_set_ratio,
                           limit=2)
    if not best or best[0][1] < _FUZZY_CUTOFF:
        return None
    if len(best) > 1 and best[1][1] > best[0][1] - _FUZZY_MARGIN:
        return None
    # A label that says "not" is never guessed from its other words ("card": "I have no card").
    return None if scr.choices[best[0][2]].negated else choice(best[0][2])


def _small(said: Said, span: frozenset[int]) -> bool:
    """Whether these words are only small ones ("j'ai": "j", "ai")."""
    return all(len(said.words[i]) <= _SMALL for i in span)


@cache
def _keys(lang: str, kind: str) -> tuple[Key, ...]:
    return tuple(key_of(p, lang) for p in getattr(lexicon(lang), kind))


def _said(said: Said, kind: str) -> list[frozenset[int]]:
    """Where the lexicon's phrases of ``kind`` ("unsure", "doubts", "hedges") were said."""
    return [span for key in _keys(said.lang, kind) for span in find(said, key)]


def _doubtful(intent: Intent, alive: list[Reading], said: Said, scr: Screen,
              parts: list[tuple[frozenset[int], tuple[int, int]]]) -> bool:
    """Whether doubt said beside ``intent`` takes it back: "je ne sais pas" (never an answer),
    "peut-être" (no yes nor no), a hedge on a read-back ("oui enfin je crois"), a part of the
    day the time chosen is not in ("demain après-midi" for "Demain à 9 h 00"). Doubt in
    another clause, after "mais", is about something else ("oui, mais je ne me souviens
    plus des noms")."""
    if intent.kind in ("command", "unknown"):
        return False
    own = [r.span for r in alive if r.intent == intent]

    def beside(spans: list[frozenset[int]]) -> bool:
        return any(not any(span <= o for o in own)
                   and any(not said.apart(min(span | o), max(span | o), subjects=False)
                           for o in own) for span in spans)

    yes_no = intent in (YES, NO) or intent.kind == "choice" and intent.index in (
        scr.answer("yes"), scr.answer("no"))
    read_back = scr.step.yes_no and not scr.choices
    if beside(_said(said, "unsure")):
        return True
    if yes_no and beside(_said(said, "doubts")):
        return True
    if read_back and intent == YES and any(
            not said.apart(min(h | o), max(h | o), subjects=False)
            for h in _said(said, "hedges") for o in own):
        return True  # even inside the yes itself: "I think so", "je crois que oui"
    if (intent.kind == "choice" and intent.index is not None and not yes_no
            and any(intent.index in pair for pair in scr.opposites)
            and beside(_said(said, "hedges"))):
        # Between two choices that say opposite things ("J'ai ma carte", "Je n'ai pas de
        # carte"), a hedged one is a guess: "je crois qu'elle est périmée".
        return True
    if intent.kind == "choice" and intent.index is not None:
        shown = scr.choices[intent.index].time if intent.index < len(scr.choices) else None
        return shown is not None and any(not low <= shown[0] < high for _s, (low, high) in parts)
    return False


def _alive(readings: list[Reading], said: Said) -> list[Reading]:
    """The readings that no other one overrides."""
    # A vague reading ("j'ai mal", "le pharmacien") gives way to any precise one.
    if any(not r.weak and r.intent != UNKNOWN for r in readings):
        readings = [r for r in readings if not r.weak]
    alive = readings
    # A reading that covers another's words and more is the more specific one; so is one
    # that overlaps another and adds a real word where the other adds only small ones
    # ("mal au ventre" against "j'ai mal" in "j'ai mal au ventre").
    alive = [r for r in alive
             if not any(o.intent != r.intent and (r.span < o.span or (
                 r.span & o.span and _small(said, r.span - o.span)
                 and not _small(said, o.span - r.span))) for o in alive)]
    # The same words read two ways: the stronger evidence.
    return [r for r in alive
            if not any(o.intent != r.intent and r.span & o.span and o.strength > r.strength
                       for o in alive)]


def _yes_and_no(found: list[Reading], scr: Screen) -> bool:
    """Whether a yes and a no were both said, apart ("oui enfin non c'est pas moi", "yes well
    no"): each takes the other back, whatever follows."""
    no_index = scr.answer("no")
    yes = [r.span for r in found if r.strength >= DECLARED and r.positive and _agrees(r, scr)]
    no = [r.span for r in found if r.strength >= DECLARED and (r.intent == NO or (
        r.intent.kind == "choice" and no_index is not None and r.intent.index == no_index))]
    # One inside the other is one answer: "je suis pas d'accord", "oui pas de souci".
    yes, no = ([y for y in yes if not any(y <= n for n in no)],
               [n for n in no if not any(n <= y for y in yes)])
    return any(not y & n for y in yes for n in no)


def _understand(said: Said, step: Step) -> Intent:
    if (alone := _said_alone(said)) is not None:
        return alone
    if (last := corrected(said, step, _understand)) is not None:
        return last
    if step.yes_no and said.complete and said.core_words and set(said.core_words) <= words_of(
            said.lang, "alone_yes"):
        yes_index = screen(step).answer("yes")
        return YES if yes_index is None else choice(yes_index)
    scr = screen(step)
    found = read(said, scr)
    # On a keypad, spelled letters and digits; where a date is asked, a date said first.
    dated = step.years and any(r.intent.kind == "date" for r in found.found)
    if step.code and not dated and (spelled := _code(said, step)) is not None:
        return spelled
    if step.yes_no and _yes_and_no(found.found, scr):
        return UNKNOWN
    # A reading inside a stronger one of another answer is none: the "demain" of
    # "après-demain".
    found.found = [r for r in found.found if not any(
        r.span < o.span and o.strength >= r.strength and o.intent != r.intent and o.positive
        and o.intent != UNKNOWN for o in found.found)]
    # The words all readings of one intent explain together ("non, je ne l'ai pas").
    covers: dict[Intent, frozenset[int]] = {}
    for reading in found.found:
        covers[reading.intent] = covers.get(reading.intent, frozenset()) | reading.span
    readings: list[Reading] = []
    blocked: list[tuple[Reading, frozenset[int], frozenset[int], Intent]] = []
    for reading in found.found:
        cover = covers[reading.intent]
        # A "not that" after an answer ("pour André, pas pour moi"); never after a yes.
        others = None if _agrees(reading, scr) else [
            r.span for r in found.found
            if r.intent != reading.intent and r.positive and r.intent.kind == "choice"]
        negations = _negating(said, cover, others)
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
                                negations, cover, reading.intent))
    # A reading cancelled by a negation that another reading of the same words explains is
    # answered: "je n'ai pas ma carte vitale" is "Je n'ai pas de carte", not also "carte vitale";
    # so is one whose negation opens a "not that" after another answer ("demain, pas
    # aujourd'hui").
    readings += [marker for marker, negations, cover, was in blocked
                 if not any(r.intent != UNKNOWN and (negations <= r.span and r.span & cover or (
                     r.positive and all(_contrastive(said, r.span, n, cover) for n in negations))
                     or was.kind == "choice" and _instead(said, r, negations, marker.span))
                            for r in readings)]
    if readings:
        alive = _alive(readings, said)
        intents = {r.intent for r in alive}
        if len(intents) != 1:
            return UNKNOWN
        intent = intents.pop()
        return UNKNOWN if _doubtful(intent, alive, said, scr, found.parts) else intent
    if said.negations or not said.meaning or not scr.choices or _said(said, "unsure"):
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
        heard = _understand(said, step)
        # A carer speaking of the person: what the person would say of themselves, when that
        # is an answer (it says more than the words read as they were).
        own = in_first_person(said)
        mine = UNKNOWN if own is None else _understand(own, step)
        return heard if mine == UNKNOWN else mine
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        # A defect in a parser must cost one "pardon ?", never the screen.
        return UNKNOWN
