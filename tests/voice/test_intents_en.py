"""English words -> intent."""

from __future__ import annotations

import itertools

import pytest

from voice.grammar import Step
from voice.intents import NO, UNKNOWN, YES, Intent, choice, code, command, date, match, time

YES_NO = Step("en", yes_no=True)
DOCTORS = Step("en", choices=("Doctor Martin", "Doctor Durand", "Central pharmacy"))
SLOTS = Step("en", choices=("9:00", "14:30"))
WHEN = Step("en", dates=True, times=True)
CODE = Step("en", code=True)

CASES: list[tuple[Step, str, Intent]] = [
    (YES_NO, "yes", YES),
    (YES_NO, "yeah", YES),
    (YES_NO, "that's right", YES),
    (YES_NO, "okay", YES),
    (YES_NO, "no", NO),
    (YES_NO, "no thank you", NO),
    (YES_NO, "nope", NO),
    (YES_NO, "help", command("help")),
    (YES_NO, "say again", command("repeat")),
    (YES_NO, "go back", command("back")),
    (YES_NO, "cancel", command("cancel")),
    (YES_NO, "louder", command("louder")),
    (YES_NO, "more slowly", command("slower")),
    (DOCTORS, "one", choice(0)),
    (DOCTORS, "the first", choice(0)),
    (DOCTORS, "number two", choice(1)),
    (DOCTORS, "the second one", choice(1)),
    (DOCTORS, "third", choice(2)),
    (DOCTORS, "doctor martin", choice(0)),
    (DOCTORS, "durand", choice(1)),
    (DOCTORS, "the central pharmacy", choice(2)),
    (SLOTS, "two thirty", choice(1)),
    (SLOTS, "half past two", choice(1)),
    (SLOTS, "nine o'clock", choice(0)),
    (SLOTS, "nine a m", choice(0)),
    (WHEN, "two thirty p m", time(14, 30)),
    (WHEN, "fourteen thirty", time(14, 30)),
    (WHEN, "two oh five", time(2, 5)),
    (WHEN, "quarter to three", time(2, 45)),
    (WHEN, "quarter past ten in the morning", time(10, 15)),
    (WHEN, "noon", time(12, 0)),
    (WHEN, "midnight", time(0, 0)),
    (WHEN, "three pm", time(15, 0)),
    (WHEN, "the first of march", date(1, 3)),
    (WHEN, "march fifteenth", date(15, 3)),
    (WHEN, "march 15th", date(15, 3)),
    (WHEN, "monday the twenty first of june", date(21, 6)),
    (WHEN, "june twenty one", date(21, 6)),
    (WHEN, "february thirtieth", UNKNOWN),
    (WHEN, "two", UNKNOWN),
    (CODE, "k seven m three q x", code("K7M3QX")),
    (CODE, "kay seven em three cue ex", code("K7M3QX")),
    (CODE, "double u why zed", code("WYZ")),
]


@pytest.mark.parametrize(("step", "said", "meant"), CASES)
def test_core_phrasings(step: Step, said: str, meant: Intent) -> None:
    assert match(said, step) == meant


@pytest.mark.parametrize(
    ("step", "said", "meant"),
    [
        (step, f"{before}{said}{after}", meant)
        for (step, said, meant), before, after in itertools.product(
            CASES, ("uh ", "um well ", "er "), ("", " please")
        )
        if meant != UNKNOWN and step is not CODE
    ],
)
def test_hesitations_are_ignored(step: Step, said: str, meant: Intent) -> None:
    assert match(said, step) == meant
