"""ACCESSIBILITY.md item 9: no private detail on the loudspeaker without a headset or a request."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from voice.errors import PrivacyError
from voice.speech import NEUTRAL, Private, SpeechBuilder, build_speech, may_speak_private

NAME = "Jeanne Dupont-Test"
NIR = "2 84 05 75 123 456 78"
SCREEN = [
    ("Votre rendez-vous est réservé.",),
    ("Bonjour ", Private(NAME), "."),
    ("Numéro de sécurité sociale : ", Private(NIR), "."),
    "Appuyez sur Terminer.",
]


def test_private_details_are_withheld_on_the_loudspeaker() -> None:
    speech = build_speech(SCREEN, lang="fr", headset=False, asked=False)
    assert speech.text == (
        "Votre rendez-vous est réservé. Les informations sont à l'écran. Appuyez sur Terminer."
    )
    assert "Dupont" not in speech.text and "84" not in speech.text
    assert speech.withheld and not speech.private


@pytest.mark.parametrize(("headset", "asked"), [(True, False), (False, True), (True, True)])
def test_private_details_are_spoken_with_a_headset_or_on_request(
    headset: bool, asked: bool
) -> None:
    speech = build_speech(SCREEN, lang="fr", headset=headset, asked=asked)
    assert "Bonjour Jeanne Dupont-Test." in speech.text
    assert NEUTRAL["fr"] not in speech.text
    assert speech.private and not speech.withheld


def test_english_neutral_sentence() -> None:
    speech = build_speech([("Hello ", Private(NAME))], lang="en", headset=False, asked=False)
    assert speech.text == "The details are on the screen."


def test_a_whole_sentence_is_withheld_not_just_the_value() -> None:
    # "Votre tension est ." would tell the listener there is a value and where.
    speech = build_speech(
        [("Votre tension est ", Private("150/95"), ".")], lang="fr", headset=False, asked=False
    )
    assert speech.text == NEUTRAL["fr"]
    assert "tension" not in speech.text


def test_private_values_are_written_out_when_spoken() -> None:
    speech = build_speech(
        [("Votre tension est ", Private("115/74"), ".")], lang="fr", headset=True, asked=False
    )
    assert speech.text == "Votre tension est cent quinze sur soixante-quatorze."


def test_public_only_screen_is_not_private() -> None:
    speech = build_speech(
        ["Bonjour.", "Touchez Oui ou Non."], lang="fr", headset=False, asked=False
    )
    assert speech.text == "Bonjour. Touchez Oui ou Non."
    assert not speech.private and not speech.withheld


@pytest.mark.parametrize("truthy", ["yes", 1, "false", [0]])
def test_only_true_itself_allows_private_speech(truthy: object) -> None:
    # A form value or a string from a header must not switch the loudspeaker on by accident.
    assert not may_speak_private(headset=truthy, asked=truthy)  # type: ignore[arg-type]
    speech = build_speech(SCREEN, lang="fr", headset=truthy, asked=False)  # type: ignore[arg-type]
    assert NAME not in speech.text


@pytest.mark.parametrize(
    "leak",
    [
        str,
        lambda p: f"{p}",
        lambda p: "Bonjour " + p,
        lambda p: p + "!",
        lambda p: "%s" % p,  # noqa: UP031 - the old operator must refuse too
        lambda p: f"{p}",
        lambda p: "".join(p),
        pickle.dumps,
    ],
)
def test_private_refuses_to_become_text(leak: object) -> None:
    # PrivacyError is a TypeError; "".join() rewrites the message but still refuses.
    with pytest.raises(TypeError) as refused:
        leak(Private(NAME))  # type: ignore[operator]
    assert NAME not in str(refused.value)


def test_refusal_names_the_way_out() -> None:
    with pytest.raises(PrivacyError, match="build_speech"):
        str(Private(NAME))


def test_private_never_shows_its_value_in_repr_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    secret = Private(NAME)
    assert NAME not in repr(secret) and NAME not in repr([secret])
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("speaking %r", secret)
    assert NAME not in caplog.text
    # Copies stay wrapped; truth tests work (they do not fall back to len()).
    assert copy.deepcopy(secret) == secret and isinstance(copy.copy(secret), Private)
    assert bool(secret)


def test_utterance_repr_never_holds_the_text() -> None:
    speech = build_speech(SCREEN, lang="fr", headset=True, asked=False)
    assert NAME in speech.text
    assert NAME not in repr(speech) and NAME not in str(speech)


def test_private_holds_text_only() -> None:
    with pytest.raises(TypeError):
        Private(12345)  # type: ignore[arg-type]
    assert Private(Private("x")) == Private("x")


def test_builder_applies_the_same_rule() -> None:
    loud = (
        SpeechBuilder("fr")
        .say("Votre rendez-vous :")
        .say_private("lundi 1er décembre à 14 h 30")
        .say("Merci.")
        .build()
    )
    assert loud.text == "Votre rendez-vous : Les informations sont à l'écran. Merci."
    quiet = SpeechBuilder("fr", headset=True).say_private("lundi 1er décembre à 14 h 30").build()
    assert quiet.text == "lundi premier décembre à quatorze heures trente"
    assert quiet.private


def test_neutral_sentence_said_once_for_several_private_sentences() -> None:
    speech = build_speech(
        [(Private("a"),), "Entre.", (Private("b"),), (Private("c"),)],
        lang="fr",
        headset=False,
        asked=False,
    )
    assert speech.text == f"{NEUTRAL['fr']} Entre."


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        build_speech(["x"], lang="xx", headset=False, asked=False)


def test_sentence_pieces_must_be_text() -> None:
    with pytest.raises(TypeError):
        build_speech([("a", 3)], lang="fr", headset=False, asked=False)  # type: ignore[list-item]
