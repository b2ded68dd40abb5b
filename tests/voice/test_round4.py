"""Issue 20, fourth round: the kinds of misses the third blind set showed, each fixed by a
rule or words, not by its row. Steps are built from labels, so the rules are what is tested;
where a screen's words come from the kiosk's catalogue, the corpus's screens (bench) are used."""

from __future__ import annotations

import datetime as dt

from bench import understanding
from voice.grammar import Step, build_grammar
from voice.intents import UNKNOWN, YES, choice, code, command, match
from voice.spoken import normalise

TODAY = dt.date(2026, 12, 1)  # a Tuesday
DAYS = tuple(TODAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 6, 7))
EN_DAYS = ("Today", "Tomorrow", "Thursday 3 December", "Friday 4 December",
           "Monday 7 December", "Tuesday 8 December")


def heard(said: str, screen: str, lang: str) -> str:
    """What the kiosk does on a corpus screen, on the words as its grammar lets vosk hear
    them."""
    with understanding.catalogue(lang):
        words = understanding.through_grammar(said, screen, lang)
        step = understanding.step(screen, lang)
        return understanding.action(match(words, step), screen, lang)


def test_a_correction_word_ending_the_answer_leaves_the_one_before_it() -> None:
    days = Step("en", choices=EN_DAYS, dates=True, choice_dates=DAYS, today=TODAY)
    assert match("monday no friday rather", days) == choice(3)
    assert match("friday rather", days) == choice(3)
    assert match("monday no rather friday", days) == choice(3)


def test_a_year_corrected_by_its_end_then_said_whole_is_the_whole() -> None:
    keypad = Step("fr", code=True)
    assert match("mille neuf cent trente-huit non trente-neuf mille neuf cent trente-neuf",
                 keypad) == code("1939")
    assert match("nineteen thirty eight no thirty nine nineteen thirty nine",
                 Step("en", code=True)) == code("1939")
    # A correction that only gives the new digits stays as it was said.
    assert match("mille neuf cent trente-huit non mille neuf cent trente-neuf",
                 keypad) == code("1939")


def test_consent_said_by_what_does_not_bother() -> None:
    question = Step("en", yes_no=True)
    assert match("i don't mind", question) == YES
    assert match("ça ne me dérange pas", Step("fr", yes_no=True)) == YES
    # A carer's "she doesn't mind": the grammar hears it, and it is the person's yes.
    assert "she doesn't mind" in build_grammar(question).phrases
    assert heard("she doesn't mind", "doctor_bp_request", "en") == "oui"
    # The same words on the doctors' list still mean any doctor.
    assert heard("i don't mind", "doctor", "en") == "any"


def test_a_hedge_between_two_opposite_choices_is_asked_again() -> None:
    assert heard("je crois que je l'ai oubliée", "has_card", "fr") == "unknown"
    assert heard("je l'ai oubliée", "has_card", "fr") == "nocard"
    assert heard("i think it's expired", "has_card", "en") == "unknown"
    assert heard("it's expired", "has_card", "en") == "nocard"
    # Elsewhere a hedge keeps its choice: "oui je crois" on a question.
    assert match("euh oui je crois", Step("fr", choices=("Oui", "Non"), yes_no=True)) == choice(0)


def test_flu_is_no_cough_alone() -> None:
    # "La grippe" is a fever as much as a cold: the kiosk asks again.
    assert heard("la grippe", "reason", "fr") == "unknown"
    assert heard("flu", "reason", "en") == "unknown"
    assert heard("je tousse", "reason", "fr") == "cough"
    assert heard("je vomis depuis hier", "reason", "fr") == "stomach"


def test_an_order_to_the_kiosk_s_voice_said_of_oneself_is_no_order() -> None:
    step = Step("fr", choices=("Modifier", "Confirmer"))
    assert match("attendez je relis", step) == UNKNOWN
    assert match("je répète", step) == UNKNOWN
    assert match("relisez", step) == command("repeat")
    assert match("je n'ai pas compris", step) == command("repeat")
    # The person's own decisions are still orders: "j'arrête".
    assert match("j'arrête", step) == command("cancel")


def test_birth_dates_said_in_any_order_are_heard() -> None:
    assert heard("twelfth june nineteen thirty eight", "birth_proof", "en") == "date:1938-06-12"
    assert heard("july the fourteenth nineteen twenty nine", "birth_proof",
                 "en") == "date:1929-07-14"


def test_leading_zeros_are_said() -> None:
    assert normalise("06 45 22 19 80", "fr") == (
        "zéro six quarante-cinq vingt-deux dix-neuf quatre-vingts")
    assert normalise("007", "en") == "zero zero seven"
    assert heard("06 45 22 19 80", "phone_keypad", "fr") == "code:0645221980"
