"""Grammars hold what the step accepts, the commands and [unk], with accents kept."""

from __future__ import annotations

import json

from voice.grammar import UNK, Step, build_grammar
from voice.intents import match
from voice.lexicon import ENGLISH, FRENCH, Lexicon


def pieces(lex: Lexicon) -> set[str]:
    """Grammar phrases that are parts of answers, never answers alone: words that turn an
    answer around, questions asked back, linking words, hesitations, who speaks, doubt
    ("je ne sais pas" is heard so that it is never taken for an answer), titles and
    places, words that take an answer back ("plutôt"), the small words that hold a sentence
    together ("ma", "got"), a carer's third person ("elle a"), the words of a question asked
    again ("qu'est-ce", "dit"), parts of the day and the words that move a day on by a week."""
    found = {UNK, *lex.negations, *lex.paired_negations, *lex.contrasts, *lex.questions,
             *lex.stopwords, *lex.fillers, *lex.weekdays, *lex.subjects, *lex.objects,
             *lex.pronouns, *lex.privatives, *lex.unsure, *lex.doubts, *lex.hedges,
             *lex.alternatives, *lex.corrections, *lex.vague, *lex.titles, *lex.doctor_titles,
             *lex.surface, *lex.body_parts, *lex.function_words, *lex.third_persons,
             *lex.possessives, *lex.asking, *lex.saying, *lex.again, *lex.someone_else}
    if lex.days is not None:
        found |= {*lex.days.parts, *lex.days.later_by, *lex.days.ahead_by}
    return {" ".join(p.replace("-", " ").split()) for p in found}


def test_every_grammar_has_commands_and_unk() -> None:
    for step in (Step("fr"), Step("en", yes_no=True), Step("ko", choices=("왼쪽",))):
        phrases = build_grammar(step).phrases
        assert UNK in phrases
        assert len(phrases) == len(set(phrases))
    fr = build_grammar(Step("fr")).phrases
    for phrase in (
        "aide",
        "répéter",
        "retour",
        "annuler",
        "plus fort",
        "moins vite",
        "moins fort",
        "plus vite",
    ):
        assert phrase in fr


def test_json_keeps_accents() -> None:
    text = build_grammar(Step("fr", yes_no=True, choices=("Pharmacie du Marché",))).to_json()
    assert "répéter" in text and "marché" in text and "\\u" not in text
    assert json.loads(text)[-1] == UNK


def test_choices_by_words_and_position() -> None:
    phrases = build_grammar(Step("fr", choices=("Docteur Martin", "14 h 30"))).phrases
    assert {"docteur martin", "martin", "quatorze heures trente"} <= set(phrases)
    assert {"un", "le premier", "deux", "le deuxième"} <= set(phrases)
    assert "trois" not in phrases  # only two choices on screen


def test_sections_only_when_asked() -> None:
    plain = set(build_grammar(Step("fr")).phrases)
    assert "oui" not in plain and "ka" not in plain and "le quinze mars" not in plain
    full = set(build_grammar(Step("fr", yes_no=True, code=True, dates=True, times=True)).phrases)
    assert {
        "oui",
        "non",
        "ka",
        "sept",
        "le quinze mars",
        "le premier mars",
        "quatorze heures trente",
        "midi et demi",
        "midi",
        "quatorze heures",
    } <= full


def test_every_grammar_phrase_is_understood_by_the_matcher() -> None:
    # The grammar must offer nothing that the matcher then throws away.
    step = Step("fr", yes_no=True, dates=True, times=True)
    grammar = build_grammar(step)
    suffixes = {"du matin", "de l'après midi", "du soir", "matin", "l'après midi", "soir"}
    # A hedged yes ("je crois que oui") is heard so that a read-back is not confirmed by it.
    hedged = {"je crois que oui", "je pense que oui"}
    lost = [
        p
        for p in grammar.phrases
        if match(p, step).kind == "unknown" and p not in pieces(FRENCH) | suffixes | hedged
    ]
    assert lost == []


def test_english_grammar_round_trips_too() -> None:
    step = Step("en", yes_no=True, dates=True, times=True)
    # Lone hours and am/pm are pieces: vosk joins them ("two" + "p m"), alone they mean nothing.
    parts = {str(n) for n in range(24)} | pieces(ENGLISH) | {
        "a m",
        "p m",
        "in the morning",
        "in the afternoon",
        "in the evening",
        "i think so",  # a hedged yes: no confirmation of a read-back
    }
    # A birth date's day and month are pieces too, joined in any order ("twelfth june",
    # "july the fourth"), alone they mean nothing.
    from num2words import num2words

    ordinals = {str(num2words(d, lang="en", to="ordinal")).replace("-", " ") for d in range(1, 32)}
    parts |= set(ENGLISH.months) | ordinals | {f"the {o}" for o in ordinals}
    from voice.parsing import read_whole_number

    lost = [
        p
        for p in build_grammar(step).phrases
        if match(p, step).kind == "unknown"
        and p not in parts
        and read_whole_number(tuple(p.split()), "en") is None
    ]
    assert lost == []
    assert match("two p m".split(), step).kind == "time"


def test_without_removes_phrases_with_missing_words() -> None:
    grammar = build_grammar(Step("fr", yes_no=True))
    smaller = grammar.without({"oui"})
    assert "oui" not in smaller.phrases and "oui oui" not in smaller.phrases
    assert "non" in smaller.phrases


def test_what_bears_on_an_answer_can_be_heard() -> None:
    # The recogniser must be able to say what takes an answer back or turns it around, or
    # "je ne sais pas" would reach the matcher as "[unk] [unk] [unk] pas".
    plain = set(build_grammar(Step("fr", choices=("Continuer",))).phrases)
    assert {"je ne sais pas", "peut être", "perdue", "je", "ou", "monsieur"} <= plain
    assert "une femme" not in plain  # no people on screen
    labels = ("Le docteur Claire Martin", "Le docteur Paul Bernard")
    doctors = build_grammar(Step("fr", choices=labels, sexes=("F", "M"))).phrases
    assert {"une femme", "un homme"} <= set(doctors)
    # Whose sex the kiosk does not know, "une femme" picks no one: no need to hear it.
    assert "une femme" not in build_grammar(Step("fr", choices=labels)).phrases
    english = set(build_grammar(Step("en", choices=("Continue",))).phrases)
    assert {"i don't know", "maybe", "lost", "i"} <= english


def test_other_forms_of_a_choice_s_verbs() -> None:
    phrases = build_grammar(Step("fr", choices=("Recommencer",),
                                 keywords=(("recommencer", "effacez"),))).phrases
    assert {"recommence", "recommencez", "recommencé", "effacer", "efface"} <= set(phrases)
