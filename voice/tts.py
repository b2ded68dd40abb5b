"""Text to speech as WAV files: a disk cache in front of one worker process with deadlines.

    tts = TtsService(Path("/var/lib/kiosk/speech"))
    tts.start()                       # after gunicorn forks; or let the first render start it
    wav = tts.render(utterance)       # voice.speech.Utterance, or a plain public str + lang
    url = f"/speech/{wav.key}.wav"    # tts.lookup(key) finds the file again
    tts.purge_private()               # at the end of each person's session
    tts.close()

Public renders are cached by the SHA-256 of (text, voice, rate) and kept.
Private renders (an utterance that spoke private details) go to ``private/``
under a keyed hash that cannot be traced back to the text, and are deleted by
:meth:`TtsService.purge_private`. The text is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import wave
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from voice.errors import SpeechError, SpeechTimeout, SpeechUnavailable
from voice.speech import Utterance
from voice.spoken import normalise
from voice.ttsworker import DEFAULT_SYNTHESISER

log = logging.getLogger(__name__)

DEFAULT_RATE = 130  # words per minute (DESIGN.md)
# espeak-ng voice names ("en" is British English; "en-gb" is not a name it accepts).
DEFAULT_VOICES: Mapping[str, str] = {"fr": "fr", "en": "en", "ko": "ko"}
_KEY = re.compile(r"[0-9a-f]{64}")
PRIVATE_KEPT = 64  # private renders held in memory at most (a visit needs a few)
_CACHE_FORMAT = "wav-v1"  # change to invalidate every cached file
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def cache_key(text: str, voice: str, rate: int) -> str:
    """The cache key (hex SHA-256) of a public render."""
    material = "\0".join((_CACHE_FORMAT, voice, str(rate), text))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Rendered:
    """A WAV file ready to play: ``key`` names it in a URL, ``cached`` if no render was needed."""

    path: Path
    key: str
    private: bool
    cached: bool


class TtsService:
    """Thread-safe WAV rendering through one long-lived pyttsx3 worker process.

    Renders are serialised (the worker does one at a time, in about 12 ms); a
    render that passes ``deadline`` seconds kills the worker, which restarts on
    the next render, and raises :class:`SpeechTimeout`. Nothing starts at import
    or construction.
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        voices: Mapping[str, str] = DEFAULT_VOICES,
        rate: int = DEFAULT_RATE,
        deadline: float = 5.0,
        start_timeout: float = 15.0,
        synthesiser: str = DEFAULT_SYNTHESISER,
    ) -> None:
        _check_rate(rate)
        self.cache_dir = Path(cache_dir).absolute()  # files are served by path: never cwd-bound
        # Private renders (names, codes, results) never stay on disk (SECURITY.md item 27): the
        # worker writes each into a folder of its own on a tmpfs (/dev/shm), made empty when
        # the worker starts; the service reads it into memory and deletes the file at once.
        self.private_dir: Path | None = None
        self._private: OrderedDict[str, bytes] = OrderedDict()
        self.voices = dict(voices)
        self.rate = rate
        self.deadline = deadline
        self.start_timeout = start_timeout
        self._synthesiser = synthesiser
        # Private keys use a secret that dies with the process, so a file name
        # cannot be matched against a guessed name or date.
        self._secret = os.urandom(32)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._closed = False
        self._job = 0
        self.worker_renders = 0  # jobs sent to the worker, for tests and the staff page
        self.worker_starts = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker process now (otherwise the first render starts it)."""
        with self._lock:
            self._closed = False
            self._ensure_worker()

    def close(self) -> None:
        """Stop the worker; cache hits still work, other renders raise SpeechUnavailable.
        Private renders are forgotten, and their tmpfs folder goes."""
        with self._lock:
            self._closed = True
            self._stop_worker(graceful=True)
            self._private.clear()
            if self.private_dir is not None:
                shutil.rmtree(self.private_dir, ignore_errors=True)
                self.private_dir = None

    def __enter__(self) -> TtsService:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop_worker(graceful=False)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._fresh_private_dir()
        # A fresh interpreter, not fork (the parent has web and device threads
        # whose locks a forked child would inherit held) and not multiprocessing's
        # spawn (it re-runs the parent's __main__, which a web server's is not
        # written for). The socket pair carries pickled jobs both ways.
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "voice.ttsworker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            ours.close()
            raise SpeechUnavailable("the speech worker cannot start") from exc
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        self._process, self._conn = process, conn
        self.worker_starts += 1
        try:
            conn.send(("init", list(sys.path), self._synthesiser))
            ready = conn.poll(self.start_timeout) and conn.recv() == ("ready", None)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop_worker(graceful=False)
            raise SpeechUnavailable("the speech worker did not start")
        log.info("speech worker started (pid %s)", process.pid)

    def _fresh_private_dir(self) -> None:
        """A new, empty 0700 folder on a tmpfs for the worker's private renders."""
        if self.private_dir is not None:
            shutil.rmtree(self.private_dir, ignore_errors=True)
        shm = Path("/dev/shm")
        base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.private_dir = Path(tempfile.mkdtemp(prefix="kiosk-speech-", dir=base))

    def _stop_worker(self, *, graceful: bool) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None or conn is None:
            return
        if graceful and process.poll() is None:
            try:
                conn.send(None)
                process.wait(1.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if process.poll() is None:
            process.kill()
        process.wait()  # reaps it: no zombie is left behind
        conn.close()

    # -- rendering ---------------------------------------------------------------------------

    def render(
        self,
        text: str | Utterance,
        lang: str | None = None,
        *,
        rate: int | None = None,
        deadline: float | None = None,
    ) -> Rendered:
        """The WAV file of ``text``, from the cache or rendered now.

        A plain ``str`` is public and is normalised for ``lang`` (numbers, times
        written out); an :class:`~voice.speech.Utterance` is already normalised
        and carries its language and privacy. Raises :class:`SpeechTimeout`
        past the deadline, :class:`SpeechError` if the engine fails.
        """
        if isinstance(text, Utterance):
            lang, private, spoken = text.lang, text.private, text.text
        elif isinstance(text, str):
            if lang is None:
                raise ValueError("a plain text needs its language")
            private, spoken = False, normalise(text, lang)
        else:
            raise TypeError(f"cannot speak a {type(text).__name__}")
        if not spoken.strip():
            raise ValueError("nothing to say")
        voice = self.voices.get(lang or "")
        if voice is None:
            raise ValueError(f"no voice for language {lang!r}")
        rate = self.rate if rate is None else _check_rate(rate)
        if private:
            material = f"{voice}\0{rate}\0{spoken}".encode()
            key = hmac.new(self._secret, material, hashlib.sha256).hexdigest()
            return self._render_private(spoken, voice, rate, key,
                                        self.deadline if deadline is None else deadline)
        else:
            key = cache_key(spoken, voice, rate)
            path = self.cache_dir / f"{key}.wav"
        if path.exists():
            return Rendered(path, key, private, cached=True)
        deadline = self.deadline if deadline is None else deadline
        # Waiting behind other renders is bounded too: each takes at most its deadline.
        if not self._lock.acquire(timeout=deadline * 3 + self.start_timeout):
            raise SpeechTimeout("the speech worker is busy")
        try:
            if path.exists():  # rendered by the thread we waited for
                return Rendered(path, key, private, cached=True)
            if self._closed:
                raise SpeechUnavailable("the speech service is closed")
            self._render_locked(spoken, voice, rate, path, deadline)
        finally:
            self._lock.release()
        return Rendered(path, key, private, cached=False)

    def _render_private(self, spoken: str, voice: str, rate: int, key: str,
                        deadline: float) -> Rendered:
        """Render into memory: the transient file on the tmpfs is gone when this returns."""
        if key in self._private:
            return Rendered(Path(f"{key}.wav"), key, True, cached=True)
        if not self._lock.acquire(timeout=deadline * 3 + self.start_timeout):
            raise SpeechTimeout("the speech worker is busy")
        try:
            if key in self._private:
                return Rendered(Path(f"{key}.wav"), key, True, cached=True)
            if self._closed:
                raise SpeechUnavailable("the speech service is closed")
            self._ensure_worker()
            assert self.private_dir is not None
            path = self.private_dir / f"{key}.wav"
            try:
                self._render_locked(spoken, voice, rate, path, deadline)
                self._private[key] = path.read_bytes()
            finally:
                path.unlink(missing_ok=True)
            while len(self._private) > PRIVATE_KEPT:
                self._private.popitem(last=False)
        finally:
            self._lock.release()
        return Rendered(Path(f"{key}.wav"), key, True, cached=False)

    def private_audio(self, key: str) -> bytes | None:
        """The WAV bytes of a private render still held, or ``None``."""
        return self._private.get(key) if _KEY.fullmatch(key) else None

    def _render_locked(self, text: str, voice: str, rate: int, path: Path, deadline: float) -> None:
        self._ensure_worker()
        assert self._conn is not None
        self._job += 1
        job = self._job
        tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp")
        started = time.monotonic()
        try:
            try:
                self._conn.send((job, text, voice, rate, str(tmp)))
                self.worker_renders += 1
                if not self._conn.poll(deadline):
                    log.warning("speech render passed its %.1f s deadline; restarting", deadline)
                    self._stop_worker(graceful=False)
                    raise SpeechTimeout(f"render passed its {deadline:.1f} s deadline")
                reply_job, error = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._stop_worker(graceful=False)
                raise SpeechError("the speech worker died") from exc
            if reply_job != job or error is not None:
                raise SpeechError(f"the speech engine failed ({error or 'out of step'})")
            _check_wav(tmp)
            os.replace(tmp, path)  # atomic: a reader sees no file or a whole file
        finally:
            # A killed worker or a failed render leaves a partial file behind.
            tmp.unlink(missing_ok=True)
        log.debug("rendered %s in %.0f ms", path.name, (time.monotonic() - started) * 1000)

    def prerender(
        self, texts: Iterable[str], lang: str, *, rate: int | None = None
    ) -> list[Rendered]:
        """Render static prompts ahead of time (public texts only)."""
        return [self.render(text, lang, rate=rate) for text in texts]

    def lookup(self, key: str) -> Path | None:
        """The WAV file for a key from a URL, or ``None``; anything but 64 hex digits is refused."""
        if not _KEY.fullmatch(key):
            return None
        path = self.cache_dir / f"{key}.wav"
        return path if path.is_file() else None

    def purge_private(self) -> int:
        """Delete every private render (call at the end of each person's session); the count."""
        with self._lock:
            removed = len(self._private)
            self._private.clear()
            if self.private_dir is not None and self.private_dir.is_dir():
                for path in self.private_dir.iterdir():
                    path.unlink(missing_ok=True)
        return removed


def prerender(
    texts: Iterable[str],
    lang: str,
    *,
    cache_dir: Path,
    rate: int = DEFAULT_RATE,
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> list[Rendered]:
    """Render static prompts into ``cache_dir`` with a short-lived service (for the CLI)."""
    with TtsService(cache_dir, voices=voices, rate=rate) as service:
        return service.prerender(texts, lang)


def _check_rate(rate: int) -> int:
    # espeak-ng's own limits, in words per minute.
    if not 80 <= rate <= 450:
        raise ValueError(f"speech rate {rate} is outside 80-450 words per minute")
    return rate


def _check_wav(path: Path) -> None:
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
    except (OSError, EOFError, wave.Error) as exc:
        raise SpeechError("the speech engine wrote no valid WAV file") from exc
    if frames == 0:
        raise SpeechError("the speech engine wrote an empty WAV file")
