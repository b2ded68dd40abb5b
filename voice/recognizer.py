"""Speech to words with vosk: one shared model per language, one recognizer per question.

    models = ModelStore({"fr": find_model(model_dir, "fr")})
    missing = models.missing_words(build_grammar(step))   # report at startup
    with models.listen(step) as listening:                 # one per question
        partial = listening.feed(pcm_chunk)                # 16 kHz mono 16-bit PCM
        heard = listening.finish()
    intent = match(heard.words, step)

Audio and transcripts stay in memory: nothing here writes a file or logs what
was said (SECURITY.md item 20).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from voice.errors import ModelNotFound, RecognitionError
from voice.grammar import UNK, Grammar, Step, build_grammar
from voice.models import read_vocabulary, validate_model_dir

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Word:
    """A recognised word and vosk's confidence (not trustworthy in grammar mode)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class Heard:
    """The final result of one question. ``words`` drops words under the threshold as ``[unk]``."""

    words: tuple[str, ...]
    detail: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The words joined by spaces."""
        return " ".join(self.words)


class LoadedModel:
    """A vosk ``Model`` and its vocabulary, shared by every recognizer of its language."""

    def __init__(self, lang: str, path: Path, model: Any) -> None:
        self.lang = lang
        self.path = path
        self.model = model
        self._vocabulary: frozenset[str] | None = None
        self._lock = threading.Lock()

    @property
    def vocabulary(self) -> frozenset[str]:
        """The model's words (read once, on first use: half a second for a 500 000-word model)."""
        with self._lock:
            if self._vocabulary is None:
                self._vocabulary = read_vocabulary(self.path)
            return self._vocabulary

    def missing_words(self, grammar: Grammar) -> tuple[str, ...]:
        """Grammar words the model cannot recognise (vosk would silently drop their phrases)."""
        return tuple(sorted(grammar.words() - self.vocabulary))


class ModelStore:
    """Loads each language's model once, on first use, and shares it between threads."""

    def __init__(self, paths: Mapping[str, Path], *, log_level: int = -1) -> None:
        self._paths = {lang: Path(path) for lang, path in paths.items()}
        self._models: dict[str, LoadedModel] = {}
        self._lock = threading.Lock()
        self._log_level = log_level

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with a configured model folder."""
        return tuple(self._paths)

    def get(self, lang: str) -> LoadedModel:
        """The loaded model of ``lang``; loads it (seconds, hundreds of MB) the first time."""
        with self._lock:
            loaded = self._models.get(lang)
            if loaded is not None:
                return loaded
            path = self._paths.get(lang)
            if path is None:
                raise ModelNotFound(f"no model configured for {lang!r}")
            problems = validate_model_dir(path)
            if problems:
                raise ModelNotFound(f"{path}: " + "; ".join(problems))
            import vosk

            # -1 keeps vosk's warnings and errors, drops its per-load chatter.
            vosk.SetLogLevel(self._log_level)
            try:
                model = vosk.Model(str(path))
            except Exception as exc:  # vosk raises a bare Exception on a bad model
                raise ModelNotFound(f"vosk could not load {path}") from exc
            loaded = self._models[lang] = LoadedModel(lang, path, model)
            log.info("speech model %s loaded from %s", lang, path)
            return loaded

    def missing_words(self, grammar: Grammar) -> tuple[str, ...]:
        """Words of ``grammar`` that its language's model lacks (call at startup and log them)."""
        return self.get(grammar.lang).missing_words(grammar)

    def listen(
        self, step: Step | Grammar, *, min_confidence: float = 0.0, sample_rate: int = SAMPLE_RATE
    ) -> Listening:
        """A new recognizer for one question (a :class:`Step` or a prepared :class:`Grammar`)."""
        grammar = step if isinstance(step, Grammar) else build_grammar(step)
        loaded = self.get(grammar.lang)
        return Listening(loaded, grammar, min_confidence=min_confidence, sample_rate=sample_rate)


class Listening:
    """One question's recognizer: feed PCM chunks, read partial words, then finish.

    Phrases whose words the model lacks are left out of the grammar given to
    vosk (instead of vosk dropping them with a warning each time).
    """

    def __init__(
        self,
        loaded: LoadedModel,
        grammar: Grammar,
        *,
        min_confidence: float = 0.0,
        sample_rate: int = SAMPLE_RATE,
    ) -> None:
        import vosk

        usable = grammar.without(loaded.missing_words(grammar))
        if not usable.phrases:
            raise RecognitionError("no phrase of the grammar is in the model's vocabulary")
        self.grammar = usable
        self.min_confidence = min_confidence
        self._recognizer = vosk.KaldiRecognizer(loaded.model, sample_rate, usable.to_json())
        self._recognizer.SetWords(True)
        self._finals: list[Word] = []
        self._lock = threading.Lock()
        self._done = False
        # True once vosk has heard a phrase end (speech, then silence): the answer is complete.
        self.phrase_ended = False

    def feed(self, pcm: bytes) -> str:
        """Add 16-bit little-endian mono PCM; returns the words heard so far (for the screen)."""
        if len(pcm) % 2:
            raise RecognitionError("PCM must be whole 16-bit samples")
        with self._lock:
            if self._done:
                raise RecognitionError("this recognizer has finished")
            if self._recognizer.AcceptWaveform(pcm):
                # vosk found the end of a phrase: keep it, the recognizer goes on.
                heard = _words(self._recognizer.Result())
                self._finals += heard
                self.phrase_ended = self.phrase_ended or bool(heard)
                return " ".join(w.text for w in self._finals)
            partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
            return " ".join([*(w.text for w in self._finals), *partial.split()])

    def finish(self) -> Heard:
        """The final words of the question; the recognizer cannot be fed afterwards."""
        with self._lock:
            if not self._done:
                self._finals += _words(self._recognizer.FinalResult())
                self._done = True
            detail = tuple(self._finals)
        kept = tuple(w.text if w.confidence >= self.min_confidence else UNK for w in detail)
        return Heard(words=kept, detail=detail)

    def close(self) -> None:
        """Free the recognizer (also done by leaving a ``with`` block)."""
        with self._lock:
            self._done = True
            self._recognizer = None

    def __enter__(self) -> Listening:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _words(result_json: str) -> list[Word]:
    result = json.loads(result_json)
    return [Word(w["word"], float(w.get("conf", 1.0))) for w in result.get("result", [])]


def recognise(
    models: ModelStore, step: Step | Grammar, pcm: bytes, *, min_confidence: float = 0.0
) -> Heard:
    """Decode a whole utterance (16 kHz mono 16-bit PCM) in one call."""
    with models.listen(step, min_confidence=min_confidence) as listening:
        listening.feed(pcm)
        return listening.finish()
