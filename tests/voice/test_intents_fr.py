"""French words -> intent, on text (no French vosk model can be had here; DESIGN.md)."""

from __future__ import annotations

import itertools

import pytest

from voice.grammar import Step
from voice.intents import NO, UNKNOWN, YES, Intent, choice, code, command, date, match, time
from voice.text import strip_accents

YES_NO = Step("fr", yes_no=True)
DOCTORS = Step("fr", choices=("Docteur Martin", "Docteur Durand", "Pharmacie centrale"))
SLOTS = Step("fr", choices=("9 h 00", "14 h 30", "16 h 45"))
WHEN = Step("fr", dates=True, times=True)
CODE = Step("fr", code=True)

# (step, what the person says, what they mean): the core phrasings.
CASES: list[tuple[Step, str, Intent]] = [
    (YES_NO, "oui", YES),
    (YES_NO, "ouais", YES),
    (YES_NO, "oui oui", YES),
    (YES_NO, "d'accord", YES),
    (YES_NO, "c'est ça", YES),
    (YES_NO, "oui c'est bien ça", YES),
    (YES_NO, "exactement", YES),
    (YES_NO, "bien sûr", YES),
    (YES_NO, "tout à fait", YES),
    (YES_NO, "non", NO),
    (YES_NO, "non merci", NO),
    (YES_NO, "non non", NO),
    (YES_NO, "pas du tout", NO),
    (YES_NO, "aide", command("help")),
    (YES_NO, "au secours", command("help")),
    (YES_NO, "à l'aide", command("help")),
    (YES_NO, "répéter", command("repeat")),
    (YES_NO, "répétez", command("repeat")),
    (YES_NO, "encore une fois", command("repeat")),
    (YES_NO, "retour", command("back")),
    (YES_NO, "annuler", command("cancel")),
    (YES_NO, "plus fort", command("louder")),
    (YES_NO, "moins fort", command("quieter")),
    (YES_NO, "moins vite", command("slower")),
    (YES_NO, "plus lentement", command("slower")),
    (YES_NO, "plus vite", command("faster")),
    (DOCTORS, "un", choice(0)),
    (DOCTORS, "le premier", choice(0)),
    (DOCTORS, "la première", choice(0)),
    (DOCTORS, "numéro un", choice(0)),
    (DOCTORS, "deux", choice(1)),
    (DOCTORS, "le deuxième", choice(1)),
    (DOCTORS, "le second", choice(1)),
    (DOCTORS, "numéro deux", choice(1)),
    (DOCTORS, "trois", choice(2)),
    (DOCTORS, "la troisième", choice(2)),
    (DOCTORS, "docteur martin", choice(0)),
    (DOCTORS, "martin", choice(0)),
    (DOCTORS, "le docteur durand", choice(1)),
    (DOCTORS, "durand", choice(1)),
    (DOCTORS, "la pharmacie centrale", choice(2)),
    (DOCTORS, "pharmacie central", choice(2)),
    (DOCTORS, "retour", command("back")),
    (SLOTS, "quatorze heures trente", choice(1)),
    (SLOTS, "à quatorze heures trente", choice(1)),
    (SLOTS, "deux heures et demie", choice(1)),
    (SLOTS, "neuf heures", choice(0)),
    (SLOTS, "à neuf heures du matin", choice(0)),
    (SLOTS, "seize heures quarante cinq", choice(2)),
    (SLOTS, "cinq heures moins le quart", choice(2)),
    (SLOTS, "le deuxième", choice(1)),
    (SLOTS, "le troisième", choice(2)),
    (WHEN, "quatorze heures trente", time(14, 30)),
    (WHEN, "14 h 30", time(14, 30)),
    (WHEN, "14h30", time(14, 30)),
    (WHEN, "quatorze heures", time(14, 0)),
    (WHEN, "midi", time(12, 0)),
    (WHEN, "midi et demi", time(12, 30)),
    (WHEN, "midi et demie", time(12, 30)),
    (WHEN, "midi et quart", time(12, 15)),
    (WHEN, "minuit", time(0, 0)),
    (WHEN, "une heure", time(1, 0)),
    (WHEN, "vingt et une heures", time(21, 0)),
    (WHEN, "vingt-et-une heures", time(21, 0)),
    (WHEN, "vingt et une heures vingt et un", time(21, 21)),
    (WHEN, "vingt-et-une heures vingt-et-une", time(21, 21)),
    (WHEN, "dix heures moins le quart", time(9, 45)),
    (WHEN, "dix heures moins dix", time(9, 50)),
    (WHEN, "deux heures de l'après-midi", time(14, 0)),
    (WHEN, "huit heures du soir", time(20, 0)),
    (WHEN, "neuf heures cinquante neuf", time(9, 59)),
    (WHEN, "le premier mars", date(1, 3)),
    (WHEN, "le 1er mars", date(1, 3)),
    (WHEN, "premier mars", date(1, 3)),
    (WHEN, "le quinze mars", date(15, 3)),
    (WHEN, "lundi quinze mars", date(15, 3)),
    (WHEN, "le vingt et un juin", date(21, 6)),
    (WHEN, "le vingt-et-un juin", date(21, 6)),
    (WHEN, "le trente et un décembre", date(31, 12)),
    (WHEN, "le vingt neuf février", date(29, 2)),
    (WHEN, "le deux août", date(2, 8)),
    (WHEN, "le trente février", UNKNOWN),
    (WHEN, "le trente et un avril", UNKNOWN),
    (WHEN, "vingt cinq heures", UNKNOWN),
    (CODE, "ka sept èm trois ku iks", code("K7M3QX")),
    (CODE, "ka sept emme trois ku ixe", code("K7M3QX")),
    (CODE, "K 7 M 3 Q X", code("K7M3QX")),
    (CODE, "a bé cé un deux trois", code("ABC123")),
    (CODE, "double vé i grec zède", code("WYZ")),
    (CODE, "zéro neuf", code("09")),
    (CODE, "ka vingt et un", code("K21")),
    (CODE, "retour", command("back")),
    (CODE, "bonjour madame", UNKNOWN),
]

HESITATIONS = ("", "euh ", "ben ", "alors euh ", "bon ", "hum ")
ENDINGS = ("", " s'il vous plaît", " euh")


@pytest.mark.parametrize(("step", "said", "meant"), CASES)
def test_core_phrasings(step: Step, said: str, meant: Intent) -> None:
    assert match(said, step) == meant


@pytest.mark.parametrize(
    ("step", "said", "meant"),
    [
        (step, f"{before}{said}{after}", meant)
        for (step, said, meant), before, after in itertools.product(CASES, HESITATIONS[1:], ENDINGS)
        if meant != UNKNOWN and step is not CODE
    ],
)
def test_hesitations_and_politeness_are_ignored(step: Step, said: str, meant: Intent) -> None:
    assert match(said, step) == meant


@pytest.mark.parametrize(("step", "said", "meant"), CASES)
def test_case_and_accents_do_not_matter(step: Step, said: str, meant: Intent) -> None:
    assert match(strip_accents(said).upper(), step) == meant


@pytest.mark.parametrize(("step", "said", "meant"), CASES[:20])
def test_vosk_word_lists_and_unk_are_accepted(step: Step, said: str, meant: Intent) -> None:
    assert match(["[unk]", *said.split()], step) == meant


@pytest.mark.parametrize(
    ("step", "said"),
    [
        (YES_NO, "oui non"),  # two answers: ask again rather than guess
        (YES_NO, ""),
        (YES_NO, "euh"),
        (YES_NO, "[unk]"),
        (YES_NO, "bonjour"),
        (YES_NO, "deux"),  # no choices on this screen
        (DOCTORS, "docteur"),  # two doctors fit
        (DOCTORS, "quatre"),  # only three choices
        (DOCTORS, "oui"),  # this screen does not ask yes or no
        (SLOTS, "dix heures"),
        (WHEN, "le trente deux mars"),
    ],
)
def test_unclear_answers_are_unknown(step: Step, said: str) -> None:
    assert match(said, step) == UNKNOWN


def test_commands_work_on_every_kind_of_step() -> None:
    for step in (YES_NO, DOCTORS, SLOTS, WHEN, CODE):
        assert match("euh répéter s'il vous plaît", step) == command("repeat")


def test_step_rejects_what_its_language_cannot_understand() -> None:
    with pytest.raises(ValueError):
        Step("ko", times=True)
    with pytest.raises(ValueError):
        Step("xx")
    with pytest.raises(ValueError):
        Step("fr", choices=("", "B"))
