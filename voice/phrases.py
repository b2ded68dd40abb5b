"""Phrases found in what was said, each with the words it explains.

Matching works on the *core* of an utterance: its folded words without fillers
("euh", "s'il vous plaît") and stopwords ("le", "de"). A phrase is found when its own
core appears word after word in the utterance's core, so "euh le deuxième" holds
"deuxième". A phrase with no core of its own ("c'est bon") is found word for word.
A found phrase is a *span*: the indexes of the utterance's words it covers, so the
matcher knows which words an answer explains and which it leaves over (a negation
left over turns the answer around).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from voice.lexicon import lexicon, words_of
from voice.stems import stem
from voice.text import tokens

Tokens = tuple[str, ...]
Span = frozenset[int]
# A phrase that shrinks to words this short is looked for whole ("c'est ça", not "ça").
_SHORT = 4


@dataclass(frozen=True)
class Key:
    """How a phrase is looked for: its core words, or all its words when ``literal``."""

    words: Tokens
    literal: bool = False


@dataclass(frozen=True)
class Said:
    """An utterance, folded: its words, which of them carry meaning, which negate."""

    lang: str
    words: Tokens
    core: tuple[int, ...]
    negations: Span
    fillers: Span = frozenset()
    # Where another clause starts ("mais"): a negation after it is that clause's.
    contrasts: tuple[int, ...] = ()
    # Words the recogniser heard but could not name ([unk]).
    unheard: Span = frozenset()
    # Where a new subject starts a clause ("oui annulez, je peux pas venir"): a negation
    # does not reach across it, but doubt does (only a contrast, "mais", stops that).
    clauses: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every word was heard: only then can the whole answer be a short one
        ("une" is a choice's number; "une [unk]" may be "une femme")."""
        return not self.unheard

    @property
    def core_words(self) -> Tokens:
        """The words that carry meaning, in order."""
        return tuple(self.words[i] for i in self.core)

    @property
    def meaning(self) -> Span:
        """The indexes of the words that carry meaning."""
        return frozenset(self.core)

    def apart(self, low: int, high: int, *, subjects: bool = True,
              within: Span = frozenset()) -> bool:
        """Whether a clause starts between words ``low`` and ``high`` (a contrast, or a new
        subject when ``subjects``), outside the words ``within`` (a phrase that holds its
        "mais": "mais oui")."""
        low, high = min(low, high), max(low, high)
        if any(low < c <= high and c not in within for c in self.contrasts):
            return True
        return subjects and any(low < c <= high for c in self.clauses)

    @property
    def whole(self) -> Span:
        """The stretch from the first word that carries meaning to the last."""
        return self.core_span(0, len(self.core))

    def core_span(self, start: int, end: int) -> Span:
        """The word indexes from ``core_words[start]`` to ``core_words[end - 1]``."""
        if start >= end:
            return frozenset()
        return frozenset(range(self.core[start], self.core[end - 1] + 1))


@cache
def _fillers(lang: str) -> tuple[Tokens, ...]:
    found = {tokens(p) for p in lexicon(lang).fillers}
    return tuple(sorted((f for f in found if f), key=len, reverse=True))


def _negations(lang: str) -> frozenset[str]:
    return words_of(lang, "negations", "privatives")


@cache
def _subjects(lang: str) -> tuple[Tokens, ...]:
    return tuple(sorted({tokens(p) for p in lexicon(lang).subjects}, key=len, reverse=True))


def _fillers_in(words: Tokens, lang: str) -> Span:
    """The words that belong to a filler phrase (whole phrases, longest first)."""
    out: set[int] = set()
    i = 0
    while i < len(words):
        for filler in _fillers(lang):
            if words[i : i + len(filler)] == filler:
                out.update(range(i, i + len(filler)))
                i += len(filler)
                break
        else:
            i += 1
    return frozenset(out)


@cache
def _imperatives(lang: str) -> tuple[tuple[str, ...], frozenset[str]]:
    lex = lexicon(lang)
    return lex.imperative_endings, words_of(lang, "not_imperatives")


def _imperative(words: Tokens, i: int, lang: str) -> bool:
    """Whether ``words[i]`` is an order that opens a clause ("supprimez", "effacez"): a
    verb form of its own, not after a pronoun ("vous pouvez") or "ne"."""
    endings, exceptions = _imperatives(lang)
    word, before = words[i], words[i - 1]
    pronouns = words_of(lang, "subjects", "objects") | {"vous", "nous"}
    return (len(word) > 4 and word.endswith(endings) and word not in exceptions
            and before not in pronouns and before not in lexicon(lang).paired_negations)


def _clauses_in(words: Tokens, lang: str, fillers: Span) -> tuple[int, ...]:
    """Where a subject starts a new clause: not at the start (politeness aside), not inside
    a filler ("s'il vous plaît"), not right after another pronoun or "ne", and not when an
    object pronoun follows it, which points back to what came before ("ma carte, je l'ai
    perdue" is one clause)."""
    paired = lexicon(lang).paired_negations
    subjects = _subjects(lang)
    ends = {p[-1] for p in subjects}
    out: list[int] = []
    for i in range(1, len(words)):
        if i in fillers or all(j in fillers for j in range(i)):
            continue
        subject = next((p for p in subjects if words[i : i + len(p)] == p), None)
        if words[i - 1] in _negations(lang) and (subject or not _closes(words, i - 1, lang)):
            continue  # "not that's me", "pas allez-y": the negation is that clause's
        if subject is None and _imperative(words, i, lang):
            out.append(i)  # "je viendrai pas, supprimez-le"
            continue
        if subject is None or words[i - 1] in paired or words[i - 1] in ends:
            continue
        after = i + len(subject)
        while after < len(words) and words[after] in paired:
            after += 1
        if after < len(words) and words[after] in words_of(lang, "objects"):
            continue
        own = words[after : next((j for j in range(after, len(words))
                                  if any(words[j : j + len(s)] == s for s in subjects)),
                                 len(words))]
        if not any(_content(w, lang) for w in own):
            # "oui, c'est pas" is one answer, and "aujourd'hui, je peux pas" says no to
            # today; "oui, je peux pas venir" is two.
            continue
        out.append(i)
    return tuple(out)


def _closes(words: Tokens, n: int, lang: str) -> bool:
    """Whether the negation ``words[n]`` ends a clause of its own: a word that says something
    comes before it ("je viendrai pas")."""
    return any(_content(w, lang) for w in words[:n])


def _content(word: str, lang: str) -> bool:
    """Whether ``word`` says something of its own (a verb, a noun), not only grammar."""
    return len(word) > 2 and word not in words_of(
        lang, "subjects", "objects", "negations", "paired_negations", "function_words",
        "stopwords", "pronouns")


def _negations_in(words: Tokens, lang: str, fillers: Span = frozenset()) -> Span:
    """Negating words: "pas", "jamais", "perdue"..., and "ne" when its "pas"/"plus" follows
    (politeness aside: "si ça ne vous dérange pas" negates nothing)."""
    lex = lexicon(lang)
    found = {i for i, w in enumerate(words) if w in _negations(lang)}
    for i, word in enumerate(words):
        pairs = lex.paired_negations.get(word)
        partner = next((j for j in range(i + 1, len(words)) if pairs and words[j] in pairs), None)
        if partner is not None:
            found.update((i, partner))
    return frozenset(found - fillers)


UNHEARD = "[unk]"


def hear(text: str, lang: str) -> Said:
    """``text`` (a transcript; ``[unk]`` for a word vosk could not name) as a :class:`Said`."""
    pieces = [tokens(piece) for piece in text.split(UNHEARD)]
    words = tuple(w for n, piece in enumerate(pieces) for w in ((UNHEARD,) if n else ()) + piece)
    fillers = _fillers_in(words, lang)
    stopwords = words_of(lang, "stopwords")
    core = tuple(i for i, w in enumerate(words)
                 if i not in fillers and w not in stopwords and w != UNHEARD)
    contrasts = words_of(lang, "contrasts")
    return Said(lang, words, core, _negations_in(words, lang, fillers), fillers,
                tuple(i for i, w in enumerate(words) if w in contrasts),
                frozenset(i for i, w in enumerate(words) if w == UNHEARD),
                _clauses_in(words, lang, fillers))


def core_of(phrase: str, lang: str) -> Tokens:
    """The words of ``phrase`` that carry meaning (what :func:`hear` keeps)."""
    said = hear(phrase, lang)
    return said.core_words


def key_of(phrase: str, lang: str) -> Key:
    """How ``phrase`` is looked for: by its core, or word for word if it has none."""
    core = core_of(phrase, lang)
    words = tokens(phrase)
    shrunk = core != words and all(len(word) <= _SHORT for word in core)
    if not core or shrunk or _negations_in(words, lang):
        # "c'est bon" has no core; "c'est ça" must not shrink to a bare "ça", nor "that's
        # it" to "that s"; and a phrase that holds a negation is said as it is ("pas de
        # problème"), or another negation could make it up ("sans pas problème").
        return Key(words, literal=True)
    return Key(core)


def keys_apart(groups: Iterable[tuple[str, object]], lang: str) -> dict[str, Key]:
    """Keys for phrases of several meanings: a phrase whose core is another meaning's
    phrase ("au plus vite" -> "plus vite", which is "faster") is looked for word for word."""
    pairs = list(groups)
    keys = {phrase: key_of(phrase, lang) for phrase, _meaning in pairs}
    meanings: dict[Tokens, set[object]] = {}
    for phrase, meaning in pairs:
        meanings.setdefault(keys[phrase].words, set()).add(meaning)
    for phrase, _meaning in pairs:
        key = keys[phrase]
        if not key.literal and len(meanings[key.words]) > 1 and tokens(phrase) != key.words:
            keys[phrase] = Key(tokens(phrase), literal=True)
    return keys


def find_stems(said: Said, key: Key) -> Iterator[Span]:
    """Every place the stems ``key`` holds (:func:`voice.stems.stem`) are the stems of words
    said one after the other: "annulez" for "annuler"."""
    size = len(key.words)
    core = tuple(stem(w, said.lang) for w in said.core_words)
    for i in range(len(core) - size + 1):
        if size and core[i : i + size] == key.words:
            span = frozenset(range(said.core[i], said.core[i + size - 1] + 1))
            if not span & said.unheard:
                yield span


def find(said: Said, key: Key) -> Iterator[Span]:
    """Every place ``key`` is found in ``said``, as the word indexes it covers."""
    size = len(key.words)
    if size == 0:
        return
    if key.literal:
        for i in range(len(said.words) - size + 1):
            if said.words[i : i + size] == key.words:
                yield frozenset(range(i, i + size))
        return
    core = said.core_words
    for i in range(len(core) - size + 1):
        if core[i : i + size] == key.words:
            # The stretch of words it covers, with the small words between its own; never
            # across a word not heard ("my [unk] appointment" is no "my appointment").
            span = frozenset(range(said.core[i], said.core[i + size - 1] + 1))
            if not span & said.unheard:
                yield span
