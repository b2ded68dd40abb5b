"""Property tests: the matcher and the text helpers never raise, whatever they are given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.grammar import Step
from voice.intents import Intent, match
from voice.lexicon import FRENCH
from voice.spoken import normalise

STEPS = [
    Step("fr", yes_no=True, choices=("Docteur Martin", "14 h 30")),
    Step("fr", dates=True, times=True, code=True),
    Step("en", yes_no=True, dates=True, times=True, code=True, choices=("One", "9:00")),
    Step("ko", yes_no=True, choices=("오른쪽", "왼쪽")),
]
KNOWN_WORDS = sorted(
    {
        w
        for phrase in (
            *FRENCH.yes,
            *FRENCH.no,
            *FRENCH.months,
            *FRENCH.letters,
            "heures",
            "et",
            "demi",
            "moins",
            "quart",
            "vingt",
            "un",
            "trente",
            "le",
            "premier",
            "[unk]",
        )
        for w in phrase.split()
    }
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), step=st.sampled_from(STEPS))
def test_match_never_raises_on_any_text(text: str, step: Step) -> None:
    assert isinstance(match(text, step), Intent)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(KNOWN_WORDS), max_size=8), step=st.sampled_from(STEPS))
def test_match_never_raises_on_grammar_words(words: list[str], step: Step) -> None:
    # Sequences of real grammar words reach deep into the parsers.
    intent = match(words, step)
    if intent.kind == "time":
        assert 0 <= intent.hour <= 23 and 0 <= intent.minute <= 59  # type: ignore[operator]
    if intent.kind == "date":
        assert 1 <= intent.day <= 31 and 1 <= intent.month <= 12  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), lang=st.sampled_from(["fr", "en", "ko"]))
def test_normalise_never_raises(text: str, lang: str) -> None:
    assert isinstance(normalise(text, lang), str)
