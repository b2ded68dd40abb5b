"""Exception tree of the :mod:`voice` package.

``str(error)`` is a technical detail for the maintainer's log. It never holds the
text being spoken nor what a person said (SECURITY.md item 20).

VoiceError
├── PrivacyError          a private detail was turned into a plain string
├── SpeechError           text to speech failed
│   ├── SpeechTimeout     a render passed its deadline (the worker was restarted)
│   └── SpeechUnavailable the engine is closed or cannot start
├── RecognitionError      speech to text failed
└── ModelError
    ├── ModelNotFound     no model folder for this language
    ├── ModelInvalid      the folder lacks files vosk needs (``problems`` lists them)
    └── ModelInstallError download, checksum or unpacking failed
        └── ChecksumMismatch
"""

from __future__ import annotations


class VoiceError(Exception):
    """Root of every error raised by :mod:`voice`."""


class PrivacyError(VoiceError, TypeError):
    """A private detail was used where plain text is expected (``str()``, f-strings, ``+``)."""


class SpeechError(VoiceError):
    """Text to speech failed."""


class SpeechTimeout(SpeechError):
    """A render passed its deadline; the worker process was killed and will be restarted."""


class SpeechUnavailable(SpeechError):
    """The speech engine is closed or could not start."""


class RecognitionError(VoiceError):
    """Speech recognition failed (bad audio format, engine error)."""


class ModelError(VoiceError):
    """A speech-recognition model is missing, broken or could not be installed."""


class ModelNotFound(ModelError):
    """No usable model folder for the language."""


class ModelInvalid(ModelError):
    """The model folder lacks files that vosk needs."""

    def __init__(self, path: object, problems: tuple[str, ...]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.problems = problems


class ModelInstallError(ModelError):
    """Downloading or unpacking a model failed; any model already installed is untouched."""


class ChecksumMismatch(ModelInstallError):
    """The downloaded archive does not have the expected SHA-256."""
