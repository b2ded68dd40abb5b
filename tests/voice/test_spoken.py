"""Text is written out for the TTS: times, dates, numbers, blood pressure, codes."""

from __future__ import annotations

import datetime as dt

import pytest

from voice.spoken import normalise, say_date, say_time, spell_code


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("14 h 30", "quatorze heures trente"),
        ("14h30", "quatorze heures trente"),
        ("14:30", "quatorze heures trente"),
        ("12 h 00", "midi"),
        ("12 h 15", "midi quinze"),
        ("0 h 30", "minuit trente"),
        ("0 h 00", "minuit"),
        ("1 h 05", "une heure cinq"),
        ("21 h", "vingt et une heures"),
        ("9 h", "neuf heures"),
        ("Rendez-vous à 14 h 30.", "Rendez-vous à quatorze heures trente."),
        ("Vous avez 21 ans.", "Vous avez vingt et un ans."),
        ("71", "soixante et onze"),
        ("Étape 2 sur 4", "Étape deux sur quatre"),
        ("115/74", "cent quinze sur soixante-quatorze"),
        (
            "Tension : 115/74 mmHg",
            "Tension : cent quinze sur soixante-quatorze millimètres de mercure",
        ),
        ("le 1er décembre", "le premier décembre"),
        ("la 1re fois", "la première fois"),
        ("01/12/2025", "lundi premier décembre deux mille vingt-cinq"),
        ("3,5 %", "trois virgule cinq pour cent"),
        ("Pas de chiffre ici.", "Pas de chiffre ici."),
    ],
)
def test_french_text_is_written_out(text: str, spoken: str) -> None:
    assert normalise(text, "fr") == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Appointment at 14:30.", "Appointment at two thirty PM."),
        ("2:30 pm", "two thirty PM"),
        ("at 2 pm today", "at two PM today"),
        ("12:00", "noon"),
        ("0:00", "midnight"),
        ("9:05", "nine oh five AM"),
        ("Step 2 of 4", "Step two of four"),
        ("You are 21.", "You are twenty-one."),
        ("BP 115/74", "BP one hundred and fifteen over seventy-four"),
        ("the 1st and the 22nd", "the first and the twenty-second"),
    ],
)
def test_english_text_is_written_out(text: str, spoken: str) -> None:
    assert normalise(text, "en") == spoken


def test_no_digit_is_left_for_the_tts() -> None:
    text = "Le 02/03/2026 à 9 h 15, tension 132/85, 3 personnes, étape 12 sur 14."
    assert not any(char.isdigit() for char in normalise(text, "fr"))


def test_other_languages_are_left_alone() -> None:
    assert normalise("오른쪽 3", "ko") == "오른쪽 3"


@pytest.mark.parametrize(
    ("hour", "minute", "fr", "en"),
    [
        (14, 30, "quatorze heures trente", "two thirty PM"),
        (12, 0, "midi", "noon"),
        (0, 30, "minuit trente", "twelve thirty AM"),
        (1, 0, "une heure", "one AM"),
        (23, 59, "vingt-trois heures cinquante-neuf", "eleven fifty-nine PM"),
    ],
)
def test_say_time(hour: int, minute: int, fr: str, en: str) -> None:
    assert say_time(hour, minute, "fr") == fr
    assert say_time(hour, minute, "en") == en


@pytest.mark.parametrize(("hour", "minute"), [(24, 0), (-1, 0), (10, 60)])
def test_say_time_refuses_impossible_times(hour: int, minute: int) -> None:
    with pytest.raises(ValueError):
        say_time(hour, minute, "fr")


def test_say_date() -> None:
    monday = dt.date(2025, 12, 1)
    assert say_date(monday, "fr") == "lundi premier décembre"
    assert say_date(dt.date(2025, 3, 15), "fr") == "samedi quinze mars"
    assert (
        say_date(monday, "fr", weekday=False, year=True) == "premier décembre deux mille vingt-cinq"
    )
    assert say_date(monday, "en") == "Monday, December first"
    assert say_date(dt.date(2026, 3, 22), "en", weekday=False) == "March twenty-second"


def test_spell_code() -> None:
    # X is "ixe": espeak-ng reads "iks" as "ik".
    assert spell_code("K7M3QX", "fr") == "ka, sept, èm, trois, ku, ixe"
    assert spell_code("k7-m3", "fr") == "ka, sept, èm, trois"
    assert spell_code("AB12", "en") == "A, B, one, two"
