"""A negation never reads as yes: any way of saying yes, with a negation put anywhere in it,
is not "yes", on a read-back nor on a screen whose first choice is "Oui, c'est moi". And a
choice's own words, negated, never select that choice."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.grammar import Step
from voice.intents import NO, UNKNOWN, YES, choice, match
from voice.lexicon import ENGLISH, FRENCH

READ_BACK = {"fr": Step("fr", yes_no=True), "en": Step("en", yes_no=True)}
IS_IT_YOU = {
    "fr": Step("fr", choices=("Oui, c'est moi", "Non"), yes_no=True),
    "en": Step("en", choices=("Yes, it is me", "No"), yes_no=True),
}
# Ways a negation is put into an answer: one word, or the two words of "ne ... pas".
NEGATIONS = {
    "fr": (("pas",), ("non",), ("jamais",), ("ne", "pas"), ("n'", "pas"), ("pas du tout",)),
    "en": (("not",), ("no",), ("never",), ("don't",), ("do not",)),
}
YES_PHRASES = [("fr", p) for p in FRENCH.yes] + [("en", p) for p in ENGLISH.yes]


def negated(phrase: str, words: tuple[str, ...], first: int, second: int) -> str:
    """``phrase`` with the negation ``words`` put before its words ``first`` (and, for a
    two-word negation, ``second``)."""
    said = phrase.split()
    first %= len(said) + 1
    if len(words) == 1:
        return " ".join([*said[:first], words[0], *said[first:]])
    second = first + second % (len(said) - first + 1)
    return " ".join([*said[:first], words[0], *said[first:second], words[1], *said[second:]])


@settings(max_examples=600, deadline=None)
@given(pair=st.sampled_from(YES_PHRASES), data=st.data(), first=st.integers(0, 8),
       second=st.integers(0, 8))
def test_a_negated_yes_is_never_yes(pair: tuple[str, str], data: st.DataObject, first: int,
                                    second: int) -> None:
    lang, phrase = pair
    words = data.draw(st.sampled_from(NEGATIONS[lang]))
    said = negated(phrase, words, first, second)
    assert match(said, READ_BACK[lang]) != YES, said
    assert match(said, IS_IT_YOU[lang]) != choice(0), said


def hedged(lang: str, phrase: str) -> bool:
    """Whether a yes phrase holds a hedge ("je crois que oui", "i think so"): it answers a
    question, but confirms no read-back."""
    lex = FRENCH if lang == "fr" else ENGLISH
    return any(f" {hedge} " in f" {phrase} " for hedge in lex.hedges)


def test_every_yes_phrase_is_yes_without_the_negation() -> None:
    # The property above is not true by accident: each phrase alone does mean yes.
    for lang, phrase in YES_PHRASES:
        assert match(phrase, READ_BACK[lang]) == (UNKNOWN if hedged(lang, phrase) else YES), phrase
        assert match(phrase, IS_IT_YOU[lang]) == choice(0), phrase


@settings(max_examples=300, deadline=None)
@given(data=st.data(), first=st.integers(0, 8), second=st.integers(0, 8))
def test_a_choice_s_own_words_negated_do_not_select_it(data: st.DataObject, first: int,
                                                         second: int) -> None:
    today = dt.date(2026, 12, 1)
    step = Step(
        "fr",
        choices=("Prendre rendez-vous", "J'ai un rendez-vous", "Mesurer ma tension",
                 "Demain", "Jeudi 3 décembre"),
        keywords=(("voir un médecin", "une consultation"), ("mon rendez-vous",),
                  ("la tension", "tension artérielle"), (), ()),
        choice_dates=(None, None, None, today + dt.timedelta(days=1),
                      today + dt.timedelta(days=2)),
        today=today,
    )
    index, phrase = data.draw(st.sampled_from([
        (0, "voir un médecin"), (0, "une consultation"), (1, "mon rendez-vous"),
        (2, "la tension"), (2, "tension artérielle"), (2, "mesurer ma tension"),
        (3, "demain"), (4, "après-demain"), (4, "jeudi")]))
    assert match(phrase, step) == choice(index)
    said = negated(phrase, data.draw(st.sampled_from(NEGATIONS["fr"])), first, second)
    assert match(said, step) != choice(index), said


def test_a_yes_turned_around_is_no_on_a_yes_no_question() -> None:
    for said in ("je ne suis pas d'accord", "pas d'accord", "ce n'est pas ça", "c'est pas moi",
                 "bien sûr que non", "absolument pas"):
        assert match(said, IS_IT_YOU["fr"]) == choice(1), said
        assert match(said, READ_BACK["fr"]) == NO, said
    cancel = Step("fr", choices=("Oui, annuler", "Non, le garder"), yes_no=True)
    assert match("annulez-le", cancel) == choice(0)
    for said in ("ne l'annulez pas", "non je ne veux pas annuler", "je ne veux pas l'annuler"):
        assert match(said, cancel) == choice(1), said
    for said in ("i don't agree", "that's not me", "of course not", "not at all"):
        assert match(said, IS_IT_YOU["en"]) == choice(1), said


def test_doubt_and_contradiction_are_neither() -> None:
    for said in ("oui non", "oui mais non", "non oui", "je ne suis pas sûr"):
        assert match(said, READ_BACK["fr"]) not in (YES, NO), said
    # A negation in a clause of its own does not turn the yes before it.
    assert match("oui mais pas beaucoup", READ_BACK["fr"]) == YES
    for said in ("yes no", "i'm not sure", "not sure"):
        assert match(said, READ_BACK["en"]) not in (YES, NO), said
