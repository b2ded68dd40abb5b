"""What people mean, said another way: choices by their other words, "whenever", page buttons,
commands in everyday words, a date of birth, and never a guess between two readings."""

from __future__ import annotations

import pytest

from voice.grammar import Step, build_grammar
from voice.intents import UNKNOWN, YES, choice, code, command, date, match

WELCOME = Step(
    "fr",
    choices=("Prendre rendez-vous", "J'ai un rendez-vous", "Mesurer ma tension", "Aide"),
    keywords=(("un rendez-vous", "voir un médecin"), ("mon rendez-vous", "déjà un rendez-vous"),
              ("la tension", "tension artérielle", "prendre ma tension"), ()),
)
REASONS = Step(
    "fr",
    choices=("Fièvre", "Douleur", "Ventre"),
    keywords=(("fièvre", "température"), ("mal", "j'ai mal", "la tête"),
              ("ventre", "mal au ventre")),
)
TIMES = Step("fr", choices=("9 h 00", "9 h 30", "14 h 30", "16 h 00"), times=True)
PAGED = Step("fr", choices=("14 h 30", "15 h 00", "Précédent", "Suite"), times=True)


@pytest.mark.parametrize(
    ("step", "said", "meant"),
    [
        (WELCOME, "je voudrais voir un médecin", choice(0)),
        (WELCOME, "un rendez-vous avec le médecin s'il vous plaît", choice(0)),
        (WELCOME, "j'ai déjà un rendez-vous", choice(1)),  # more words than "un rendez-vous"
        (WELCOME, "la tension", choice(2)),
        (WELCOME, "je voudrais prendre ma tension", choice(2)),  # not "Prendre rendez-vous"
        (WELCOME, "aide", choice(3)),  # the Aide tile itself
        (REASONS, "j'ai mal au ventre", choice(2)),  # "mal au ventre" says more than "mal"
        (REASONS, "j'ai de la température", choice(0)),
        (TIMES, "n'importe quand", choice(0)),
        (TIMES, "le plus tôt possible", choice(0)),
        (TIMES, "la dernière", choice(3)),
        (TIMES, "deux heures et demie", choice(2)),
        (PAGED, "page suivante", choice(3)),
        (PAGED, "précédent", choice(2)),  # the page button, not "Retour"
        (PAGED, "retour", command("back")),
    ],
)
def test_choices_said_by_their_meaning(step: Step, said: str, meant: object) -> None:
    assert match(said, step) == meant


@pytest.mark.parametrize(
    ("step", "said"),
    [
        (REASONS, "la fièvre et le ventre"),  # two choices fit as well
        (REASONS, "j'ai mal au ventre et à la tête"),
        (WELCOME, "un rendez-vous pour la tension"),
        (TIMES, "neuf heures moins le quart"),  # a time not shown: not "9 h 00" by its words
        (TIMES, "le matin"),
        (WELCOME, "c'est quoi la tension"),  # a question asked back
        (WELCOME, "une [unk]"),  # "une" alone is a choice's number; not with a word unheard
    ],
)
def test_never_a_guess_between_two_readings(step: Step, said: str) -> None:
    assert match(said, step) == UNKNOWN


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("je n'y arrive pas", command("help")),
        ("je ne comprends pas", command("help")),
        ("appelez le pharmacien", command("help")),
        ("pardon", command("repeat")),
        ("comment", command("repeat")),
        ("quoi", command("repeat")),
        ("laissez tomber", command("cancel")),
        ("j'arrête", command("cancel")),
        ("je n'entends pas", command("louder")),
        ("vous parlez trop vite", command("slower")),
    ],
)
def test_commands_in_everyday_words(said: str, meant: object) -> None:
    assert match(said, WELCOME) == meant


def test_polite_words_are_not_commands_inside_an_answer() -> None:
    # "pardon" alone asks to hear it again; before an answer it is politeness.
    assert match("pardon, le deuxième", WELCOME) == choice(1)


def test_yes_said_another_way() -> None:
    step = Step("fr", yes_no=True)
    for said in ("absolument", "c'est bien moi", "tout à fait", "oui oui c'est bien ça",
                 "pas de problème", "volontiers"):
        assert match(said, step) == YES, said
    # Hedged, it answers a question, but confirms no read-back.
    assert match("je crois que oui", Step("fr", choices=("Oui", "Non"), yes_no=True)) == choice(0)
    assert match("je crois que oui", step) == UNKNOWN


def test_a_date_of_birth_said_in_full_or_short() -> None:
    birth = Step("fr", years=True, code=True, choices=("Effacer", "Valider"))
    assert match("le trois mars mille neuf cent cinquante", birth) == date(3, 3, 1950)
    assert match("trois mars cinquante", birth) == date(3, 3, 1950)
    assert match("je suis né le onze onze quarante-quatre", birth) == date(11, 11, 1944)
    assert match("le trente-deux mars mille neuf cent cinquante", birth) == UNKNOWN
    assert match("le trente février cinquante", birth) == UNKNOWN
    assert match("zéro trois zéro trois dix-neuf cinquante", birth) == code("03031950")
    english = Step("en", years=True)
    assert match("the third of march nineteen fifty", english) == date(3, 3, 1950)


def test_a_year_on_the_keypad() -> None:
    keypad = Step("fr", code=True, choices=("Effacer", "Valider"))
    assert match("mille neuf cent quarante-deux", keypad) == code("1942")
    assert match("dix-neuf cent trente", keypad) == code("1930")
    assert match("zéro six quatre-vingt-neuf", keypad) == code("0689")  # 89, not 4 then 29


def test_the_grammar_offers_what_the_matcher_reads() -> None:
    phrases = set(build_grammar(WELCOME).phrases)
    # The screen's other words, the words that turn an answer around, everyday commands.
    assert {"voir un médecin", "tension artérielle", "pas", "ne", "non", "laissez tomber",
            "je n'entends pas", "pardon", "euh"} <= phrases
    assert {"page suivante", "suite"} <= set(build_grammar(PAGED).phrases)
    assert "page suivante" not in phrases  # only where a page button is shown
