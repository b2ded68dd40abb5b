"""The text-to-speech worker process: one espeak-ng engine, fed render jobs through a socket.

pyttsx3 is not thread-safe (two threads sharing its cached engine hang) and
espeak-ng keeps global state, so the engine lives alone in this process, which the parent kills
and restarts when a render passes its deadline (:mod:`voice.tts`). Only the
parent logs; this process never logs or prints the text it speaks.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import signal
import sys
import threading
import time
import wave
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# (text, voice, rate, path) -> None; writes a WAV file at ``path``.
Synthesiser = Callable[[str, str, int, str], None]
DEFAULT_SYNTHESISER = "voice.ttsworker:synthesise_espeak"

_sample_rate = 0
_samples = bytearray()


def _collect(wav: Any, count: int, events: Any) -> int:
    if count > 0:
        _samples.extend(ctypes.string_at(wav, count * 2))
    return 0  # 0 = go on synthesising


def synthesise_espeak(text: str, voice: str, rate: int, path: str) -> None:
    """Render ``text`` with libespeak-ng, through pyttsx3's binding, into the WAV file ``path``.

    pyttsx3's own engine loop (``save_to_file`` + ``runAndWait``) runs espeak in
    its asynchronous mode: measured here with pyttsx3 2.99, ``runAndWait``
    returns before the file is written, about one render in 40 is never written
    at all, and the rate set before a render is sometimes not the one used. The
    binding in synchronous mode returns when the whole sound has been handed over.
    """
    global _sample_rate
    from pyttsx3.drivers import _espeak as espeak

    if not _sample_rate:
        _sample_rate = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
        if _sample_rate <= 0:
            raise RuntimeError("espeak-ng did not initialise")
        espeak.SetSynthCallback(_collect)
    if espeak.SetVoiceByName(voice.encode()) != espeak.EE_OK:
        raise ValueError("unknown espeak-ng voice")
    espeak.SetParameter(espeak.RATE, rate, 0)
    _samples.clear()
    if espeak.Synth(text, flags=espeak.ENDPAUSE | espeak.CHARS_UTF8) != espeak.EE_OK:
        raise RuntimeError("espeak-ng refused the text")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_sample_rate)
        out.writeframes(bytes(_samples))


def load_synthesiser(spec: str) -> Synthesiser:
    """The function named by ``"module:function"``."""
    module_name, _, attribute = spec.partition(":")
    function: Synthesiser = getattr(importlib.import_module(module_name), attribute)
    return function


def _exit_with_parent() -> None:
    """End this process when its parent is gone, even in the middle of a hung render."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main(argv: list[str]) -> None:
    """Entry point (``python -m voice.ttsworker FD``): take sys.path and the synthesiser
    from the parent's first message, then serve jobs."""
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when this stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(int(argv[1]))
    threading.Thread(target=_exit_with_parent, daemon=True, name="parent-watch").start()
    try:
        _, sys_path, synthesiser = conn.recv()
    except (EOFError, OSError):
        return
    # The parent's import path: its test hooks and installed packages resolve the same here.
    sys.path[:] = sys_path
    serve(conn, synthesiser)


def serve(conn: Connection, synthesiser: str) -> None:
    """Answer render jobs until the pipe closes: ``(job_id, text, voice, rate, path)`` in,
    ``(job_id, None)`` or ``(job_id, error description)`` out."""
    # Nothing a library prints reaches the parent's stdout or logs.
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    synthesise = load_synthesiser(synthesiser)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        job_id, text, voice, rate, path = job
        try:
            synthesise(text, voice, rate, path)
        except Exception as error:  # noqa: BLE001 - reported to the parent, never raised here
            # The type only: an engine message may quote the text.
            conn.send((job_id, type(error).__name__))
        else:
            conn.send((job_id, None))


if __name__ == "__main__":
    main(sys.argv)
