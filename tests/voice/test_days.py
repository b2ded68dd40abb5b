"""Days said in words: read against today, and matched to the days a screen shows by date."""

from __future__ import annotations

import datetime as dt

import pytest

from voice.days import label_day, said_days
from voice.grammar import Step, build_grammar
from voice.intents import UNKNOWN, choice, match
from voice.phrases import hear

TUESDAY = dt.date(2026, 12, 1)
DAYS = [TUESDAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 6, 7)]
SHOWN = Step(
    "fr",
    choices=("Aujourd'hui", "Demain", "Jeudi 3 décembre", "Vendredi 4 décembre",
             "Lundi 7 décembre", "Mardi 8 décembre"),
    choice_dates=tuple(DAYS),
    today=TUESDAY,
    dates=True,
)


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("aujourd'hui", 0),
        ("demain", 1),
        ("après-demain", 2),  # never "Demain", whose label is part of the words
        ("après demain", 2),
        ("dans deux jours", 2),
        ("jeudi", 2),
        ("ce jeudi", 2),
        ("jeudi trois", 2),
        ("le trois", 2),
        ("le 3", 2),
        ("vendredi quatre décembre", 3),
        ("lundi prochain", 4),
        ("le sept décembre", 4),
        ("mardi prochain", 5),  # said on a Tuesday: the one of next week
        ("dans une semaine", 5),
        ("euh plutôt demain matin", 1),
        ("le plus tôt possible", 0),
        ("n'importe quel jour", 0),
        ("le troisième", 2),  # a place in the list
    ],
)
def test_a_day_said_picks_the_day_shown(said: str, index: int) -> None:
    assert match(said, SHOWN) == choice(index)


@pytest.mark.parametrize(
    "said",
    [
        "mardi",  # said on a Tuesday: today, or next week?
        "mercredi prochain",  # tomorrow, or the week after?
        "samedi",  # not shown
        "la semaine prochaine",  # two days of it are shown
        "jeudi ou vendredi",
        "pas demain",
        "le cinq",  # a day of the month that is not shown, not the fifth choice
    ],
)
def test_a_day_that_is_not_one_shown_day_is_unknown(said: str) -> None:
    assert match(said, SHOWN) == UNKNOWN


def test_choices_whose_words_name_a_day_get_that_day() -> None:
    taken = Step("fr", choices=("Aujourd'hui à 15 h 00 avec le docteur Claire Martin",
                                "Demain à 9 h 00 avec le docteur Paul Bernard",
                                "Choisir un autre jour"), today=TUESDAY, times=True)
    assert match("demain", taken) == choice(1)
    assert match("aujourd'hui", taken) == choice(0)
    assert match("quinze heures", taken) == choice(0)
    assert label_day("Jeudi 3 décembre à 9 h 00", "fr", TUESDAY) == dt.date(2026, 12, 3)
    assert label_day("Thursday 3 December at 9:00 AM", "en", TUESDAY) == dt.date(2026, 12, 3)
    assert label_day("14 h 30", "fr", TUESDAY) is None


def test_two_shown_thursdays_make_thursday_ambiguous() -> None:
    later = Step("fr", choices=("Jeudi 3 décembre", "Mercredi 9 décembre", "Jeudi 10 décembre"),
                 today=TUESDAY)
    assert match("jeudi", later) == UNKNOWN
    assert match("jeudi dix", later) == choice(2)
    assert match("mercredi", later) == choice(1)  # the one shown, though not the coming one


def test_english_days() -> None:
    shown = Step("en", choices=("Today", "Tomorrow", "Thursday 3 December", "Friday 4 December",
                                "Monday 7 December", "Tuesday 8 December"),
                 choice_dates=tuple(DAYS), today=TUESDAY)
    assert match("the day after tomorrow", shown) == choice(2)
    assert match("next monday", shown) == choice(4)
    assert match("the fourth", shown) == choice(3)
    assert match("tuesday", shown) == UNKNOWN


def test_said_days_reads_without_looking_at_the_screen() -> None:
    days = said_days(hear("mercredi prochain", "fr"), TUESDAY)
    assert [(sorted(d.dates), d.ambiguous) for d in days] == [([dt.date(2026, 12, 2)], True)]
    assert said_days(hear("bonjour", "fr"), TUESDAY) == []


def test_the_grammar_holds_the_days_shown_and_the_words_for_them() -> None:
    phrases = set(build_grammar(SHOWN).phrases)
    assert {"après demain", "demain", "aujourd'hui", "prochain", "le trois", "lundi sept",
            "pas", "dans deux jours"} <= phrases
