"""Fixtures for the voice tests: a TTS service, PCM audio. The Korean vosk model (loaded once:
``ko_model_path``, ``ko_models``) is in tests/conftest.py, for tests/integration too."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from voice.tts import TtsService

HERE = Path(__file__).parent


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
