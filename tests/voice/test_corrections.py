"""Self-corrections (issue 20, third round): the answer said last, after words that take the
one before it back ("non", "plutôt", "pardon", "sorry", "I mean", "make that"), is the one
meant; a yes and a no said apart take each other back. Steps are built from labels only, so
the rules, not the catalogue, are what is tested."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.grammar import Step
from voice.intents import NO, UNKNOWN, YES, choice, code, match

TODAY = dt.date(2026, 12, 1)  # a Tuesday
DAYS = tuple(TODAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 6, 7))
LABELS = {"fr": ("Aujourd'hui", "Demain", "Jeudi 3 décembre", "Vendredi 4 décembre",
                 "Lundi 7 décembre", "Mardi 8 décembre"),
          "en": ("Today", "Tomorrow", "Thursday 3 December", "Friday 4 December",
                 "Monday 7 December", "Tuesday 8 December")}
WHO = ("Jeanne Dupont", "André Dupont", "Lucie Dupont")
TIMES = {"fr": ("9 h 00", "9 h 30", "10 h 00", "14 h 30", "16 h 00"),
         "en": ("9:00 AM", "9:30 AM", "10:00 AM", "2:30 PM", "4:00 PM")}


def days(lang: str) -> Step:
    return Step(lang, choices=LABELS[lang], dates=True, choice_dates=DAYS, today=TODAY)


def times(lang: str) -> Step:
    return Step(lang, choices=TIMES[lang], times=True)


def test_the_answer_said_last_wins() -> None:
    assert match("lundi non plutôt vendredi", days("fr")) == choice(3)
    assert match("euh jeanne non andré", Step("fr", choices=WHO)) == choice(1)
    assert match("dix heures non neuf heures et demie", times("fr")) == choice(1)
    assert match("à neuf heures non plutôt dix heures", times("fr")) == choice(2)
    birth_day = Step("fr", choices=tuple(str(n) for n in range(1, 32)))
    assert match("euh le six non le sept", birth_day) == choice(6)
    assert match("monday no friday", days("en")) == choice(3)
    assert match("jeanne no sorry andré", Step("en", choices=WHO)) == choice(1)
    assert match("nine no make that ten", times("en")) == choice(2)
    assert match("k sept non k huit", Step("fr", choices=("Effacer", "Valider"),
                                            code=True)) == code("K8")


def test_without_a_second_answer_nothing_is_corrected() -> None:
    assert match("lundi non", days("fr")) == UNKNOWN
    assert match("jeudi non je sais plus", days("fr")) == UNKNOWN
    # "pas" is no correction: "demain, pas aujourd'hui" is tomorrow.
    assert match("demain pas aujourd'hui", days("fr")) == choice(1)
    # "ou" joins two answers: no answer.
    assert match("lundi ou vendredi", days("fr")) == UNKNOWN


def test_a_yes_and_a_no_take_each_other_back() -> None:
    is_it_you = Step("fr", choices=("Oui, c'est moi", "Non"), yes_no=True)
    assert match("oui enfin non c'est pas moi", is_it_you) == UNKNOWN
    assert match("non c'est pas moi", is_it_you) == choice(1)
    treatment = Step("en", choices=("Yes", "No"), yes_no=True)
    assert match("yes well no not since last month", treatment) == UNKNOWN
    read_back = Step("fr", yes_no=True)
    assert match("oui enfin non", read_back) == UNKNOWN
    # One inside the other is one answer.
    assert match("oui pas de souci", read_back) == YES
    assert match("non je suis pas d'accord", read_back) == NO
    assert match("bien sûr que non", read_back) == NO
    # Between a yes and a no, nothing is corrected: "oui... non, le garder" stays unclear.
    cancel = Step("fr", choices=("Oui, annuler", "Non, le garder"), yes_no=True)
    assert match("oui annuler non plutôt le garder", cancel) == UNKNOWN


MARKERS = {"fr": ("non", "non plutôt", "pardon", "enfin", "ah non", "euh non", "je veux dire"),
           "en": ("no", "no sorry", "sorry", "i mean", "make that", "no wait", "actually")}
SAID = {"fr": ("aujourd'hui", "demain", "jeudi", "vendredi", "lundi", "mardi prochain"),
        "en": ("today", "tomorrow", "thursday", "friday", "monday", "next tuesday")}


@settings(max_examples=200, deadline=None)
@given(lang=st.sampled_from(["fr", "en"]), data=st.data())
def test_any_marker_between_two_days_keeps_the_second(lang: str, data: st.DataObject) -> None:
    first, second = data.draw(st.lists(st.integers(0, 5), min_size=2, max_size=2, unique=True))
    marker = data.draw(st.sampled_from(MARKERS[lang]))
    said = f"{SAID[lang][first]} {marker} {SAID[lang][second]}"
    assert match(said, days(lang)) == choice(second), said
