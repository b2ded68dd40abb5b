"""A step's choices as the matcher looks them up: their words, time, day, role, and the
other words they answer to. Built once per step (steps are immutable and hashable)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

from voice.days import label_day
from voice.grammar import Step, spoken_label
from voice.lexicon import lexicon, words_of
from voice.parsing import parse_time, read_whole_number
from voice.people import names_in, sex_of
from voice.phrases import Key, Tokens, core_of, hear, keys_apart
from voice.stems import stem
from voice.text import fold, spelled_out, tokens

# Label words shorter than this are too common to pick a choice by ("le", "un").
_SHORTEST_WORD = 3


@dataclass(frozen=True)
class Choice:
    """One visible choice, as it can be said."""

    index: int
    core: Tokens  # the label's words that carry meaning ("docteur claire martin")
    words: frozenset[str]  # label words no other choice has ("martin", "claire")
    time: tuple[int, int] | None  # the clock time in the label ("14 h 30")
    date: dt.date | None  # the day it stands for (given, or named in the label)
    number: int | None  # a label that is only a number ("21" on a list of days of birth)
    paging: str | None  # "next" or "previous" for the page buttons of a long list
    answer: str | None  # "yes" or "no" when the label starts with Oui / Non
    negated: bool  # the label says "not" ("Je n'ai pas de carte")
    sex: str | None = None  # "F" or "M" for a person whose sex the kiosk knows
    names: frozenset[str] = frozenset()  # the names the label holds ("claire", "martin")


@dataclass(frozen=True)
class Screen:
    """Everything about a step's choices that the matcher needs."""

    step: Step
    choices: tuple[Choice, ...]
    keywords: tuple[tuple[Key, int], ...]  # (key, choice index)
    # The same keys by their words' stems, for other forms of the words ("annulez").
    stemmed: tuple[tuple[Key, int], ...] = ()
    # A choice and the one that says its opposite ("J'ai ma carte" / "Je n'ai pas de carte"):
    # the first, negated, is the second.
    opposites: tuple[tuple[int, int], ...] = ()

    def opposite(self, index: int) -> int | None:
        """The choice that says the opposite of choice ``index``, if the screen has one."""
        return next((n for p, n in self.opposites if p == index), None)

    @property
    def people(self) -> tuple[Choice, ...]:
        """The choices that name a person, when at least two do (then a name, a title or a
        sex tells them apart; one name alone on screen is only a detail of its choice)."""
        named = tuple(c for c in self.choices if c.names)
        return named if len(named) > 1 else ()

    def answer(self, kind: str) -> int | None:
        """The index of the choice that says ``kind`` ("yes" / "no"), if the screen has one."""
        return next((c.index for c in self.choices if c.answer == kind), None)

    @property
    def dated(self) -> bool:
        """Whether some choice stands for a day (the person may name it by its day)."""
        return any(c.date for c in self.choices)

    @property
    def timed(self) -> bool:
        """Whether some choice shows a clock time."""
        return any(c.time for c in self.choices)


@cache
def _answer_words(lang: str) -> dict[str, str]:
    """The words a yes/no choice starts with: "Oui, c'est moi", "Non, le garder"."""
    lex = lexicon(lang)
    return {fold(lex.yes[0]): "yes", fold(lex.no[0]): "no"}


def answer_of(label: str, lang: str) -> str | None:
    """ "yes" or "no" if ``label`` is a yes/no choice ("Oui, annuler"), else ``None``."""
    words = fold(spoken_label(label, lang)).split()
    return _answer_words(lang).get(words[0]) if words else None


def asks_yes_no(labels: tuple[str, ...], lang: str) -> bool:
    """Whether choices with these labels answer a yes/no question (one starts with Oui/Non)."""
    return any(answer_of(label, lang) for label in labels)


@cache
def _paging_forms(lang: str) -> dict[Tokens, str]:
    lex = lexicon(lang)
    forms = {core_of(p, lang): "next" for p in lex.next_page}
    forms.update({core_of(p, lang): "previous" for p in lex.previous_page})
    return forms


@cache
def _not_label_words(lang: str) -> frozenset[str]:
    """Words that never pick a choice alone: days, months, yes and no, negations, and the
    words every screen of the kiosk uses ("médecin")."""
    lex = lexicon(lang)
    words = {fold(w) for w in (*lex.weekdays, *lex.months, *lex.negations)}
    words |= {w for phrase in (*lex.common, *lex.function_words) for w in fold(phrase).split()}
    if lex.days is not None:
        said_days = (*lex.days.offsets, *lex.days.parts)
        words |= {w for phrase in said_days for w in fold(phrase).split()}
    words |= {fold(p).split()[0] for p in (*lex.yes[:2], *lex.no[:1])}
    return frozenset(words)


def _label_time(core: Tokens, lang: str) -> tuple[int, int] | None:
    """The first clock time in a label's words."""
    for start in range(len(core)):
        for end in range(len(core), start, -1):
            found = parse_time(core[start:end], lang)
            if found:
                return found
    return None


def shows_time(label: str, lang: str) -> bool:
    """Whether a choice label holds a clock time ("14 h 30", "Demain à 9 h 00", "2:30 PM")."""
    return _label_time(core_of(spoken_label(label, lang), lang), lang) is not None


def _choice(index: int, label: str, step: Step, shared: dict[str, int]) -> Choice:
    said = spoken_label(label, step.lang)
    core = core_of(said, step.lang)
    given = step.choice_dates[index] if step.choice_dates else None
    named = label_day(said, step.lang, step.today) if step.today and given is None else None
    not_words = _not_label_words(step.lang)
    names = frozenset(w for name in names_in(label, step.lang) for w in fold(name).split())
    words = frozenset(
        w for w in core
        if shared[w] == 1 and len(w) >= _SHORTEST_WORD and w not in not_words
        and read_whole_number((w,), step.lang, 99) is None
    )
    return Choice(
        index=index,
        core=core,
        words=words,
        time=_label_time(core, step.lang),
        date=given or named,
        number=read_whole_number(core, step.lang, 99) if core else None,
        paging=_paging_forms(step.lang).get(core),
        answer=answer_of(label, step.lang),
        negated=_negated(said, step.lang),
        sex=sex_of(label, step.lang, step.sexes[index] if step.sexes else ""),
        names=names,
    )


def _negated(said: str, lang: str) -> bool:
    """Whether a label says "not", its leading "Non" aside ("Non, continuer" is an answer,
    "Je n'ai pas de carte" says "not")."""
    heard = hear(said, lang)
    answer = 1 if answer_of(said, lang) else 0
    return any(n >= answer for n in heard.negations)


def _ambiguous(key: Key, index: int, cores: list[Tokens], lang: str) -> bool:
    """Whether a one-word key is also a word of another choice's label: "la carte" says
    nothing between "J'ai ma carte Vitale" and "Je n'ai pas de carte". (The words every
    screen uses, "docteur", are no label's own: "le docteur Bernard" asks for a doctor.)"""
    # A phrase said word for word is its one word too when the others are only articles
    # ("le code" beside "Avec le QR code du ticket" and "Avec le code du rendez-vous").
    words = tuple(w for w in key.words if w not in words_of(lang, "stopwords"))
    word = words[0] if len(words) == 1 else None
    if word is None or word in words_of(lang, "common") and word not in cores[index]:
        return False
    return any(word in core for other, core in enumerate(cores) if other != index)


def _precise(phrase: str, key: Key, lang: str) -> Key:
    """An ambiguous key said with more than its one word ("i'd like an appointment"): the
    phrase word for word, where its other words tell the choices apart."""
    words = tokens(phrase)
    return Key(words, literal=True) if len(words) > len(core_of(phrase, lang)) + 1 else key


def _opposites(choices: tuple[Choice, ...]) -> tuple[tuple[int, int], ...]:
    """Two choices, one the negation of the other, on a screen that is not a yes/no question."""
    if len(choices) != 2 or any(c.answer for c in choices):
        return ()
    first, second = choices
    if first.negated == second.negated:
        return ()
    positive, negative = (first, second) if second.negated else (second, first)
    return ((positive.index, negative.index),)


def _stemmed(key: Key, lang: str) -> Key | None:
    """``key`` by its words' stems, when that differs from the key itself."""
    if key.literal:
        return None
    stems = tuple(stem(w, lang) for w in key.words)
    return Key(stems, literal=False) if stems != key.words else None


def without_articles(phrase: str, lang: str) -> str | None:
    """``phrase`` said without its articles ("déjà un rendez-vous" -> "déjà rendez-vous"),
    when three words or more are left; else ``None``."""
    articles = words_of(lang, "indefinites")
    words = phrase.replace("-", " ").split()  # as written: the grammar says it too
    kept = [w for w in words if fold(w) not in articles]
    return " ".join(kept) if len(kept) != len(words) and len(tokens(" ".join(kept))) >= 3 else None


@lru_cache(maxsize=256)
def screen(step: Step) -> Screen:
    """The matcher's view of ``step``'s choices."""
    cores = [core_of(spoken_label(label, step.lang), step.lang) for label in step.choices]
    shared: dict[str, int] = {}
    for core in cores:
        for word in set(core):
            shared[word] = shared.get(word, 0) + 1
    choices = tuple(_choice(i, label, step, shared) for i, label in enumerate(step.choices))
    pairs = [(form, index) for index, phrases in enumerate(step.keywords) for phrase in phrases
             for form in (phrase, spelled_out(phrase), without_articles(phrase, step.lang))
             if form]
    keys = keys_apart(pairs, step.lang)
    for phrase, index in pairs:
        if _ambiguous(keys[phrase], index, cores, step.lang):
            keys[phrase] = _precise(phrase, keys[phrase], step.lang)
    keywords = tuple((keys[phrase], index) for phrase, index in pairs if keys[phrase].words
                     and not _ambiguous(keys[phrase], index, cores, step.lang))
    stemmed = tuple(dict.fromkeys(
        (found, index) for key, index in keywords if (found := _stemmed(key, step.lang))))
    return Screen(step, choices, keywords, stemmed, _opposites(choices))
