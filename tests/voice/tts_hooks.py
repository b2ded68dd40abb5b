"""Synthesisers for the TTS tests, loaded by the worker by name ("tts_hooks:hang_on_marker")."""

from __future__ import annotations

import time

from voice.ttsworker import synthesise_espeak

HANG = "HANG-FOR-TEST"


def hang_on_marker(text: str, voice: str, rate: int, path: str) -> None:
    """The real synthesiser, except that it hangs forever (as pyttsx3's loop can) on HANG."""
    if text == HANG:
        with open(path, "wb") as partial:
            partial.write(b"RIFF")  # a half-written file the parent must clean up
        while True:
            time.sleep(60)
    synthesise_espeak(text, voice, rate, path)


def fail(text: str, voice: str, rate: int, path: str) -> None:
    """An engine that always fails, quoting the text (which must not reach the parent's error)."""
    raise RuntimeError(f"cannot say {text}")
