"""The spoken text of a screen, built so that no private detail reaches the loudspeaker by accident.

ACCESSIBILITY.md item 9: name, NIR, blood-pressure values and appointment details
are spoken only when a headset is plugged in or the person asked on this screen.
Private details travel wrapped in :class:`Private`, which refuses every way of
becoming a plain string (``str()``, f-strings, ``+``, ``%``, pickling), so the only
path from a private detail to speech is :func:`build_speech`, which applies the rule.

    speech = build_speech(
        [
            ("Votre rendez-vous est confirmé.",),
            ("C'est le ", Private("lundi 1er décembre à 14 h 30"), "."),
        ],
        lang="fr", headset=False, asked=False,
    )
    speech.text == "Votre rendez-vous est confirmé. Les informations sont à l'écran."
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from voice.errors import PrivacyError
from voice.spoken import normalise

NEUTRAL = {
    "fr": "Les informations sont à l'écran.",
    "en": "The details are on the screen.",
}


class Private:
    """A private detail. It can be spoken only through :func:`build_speech`."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str | Private) -> None:
        if isinstance(value, Private):
            value = value._value
        if not isinstance(value, str):
            raise TypeError("Private holds text; format the value first")
        self._value = value

    def _refuse(self, *_: Any) -> NoReturn:
        raise PrivacyError("a private detail cannot become plain text; use build_speech()")

    __str__ = _refuse
    __format__ = _refuse
    __add__ = _refuse
    __radd__ = _refuse
    __mod__ = _refuse
    __rmod__ = _refuse
    __iter__ = _refuse
    __len__ = _refuse
    # Pickling would carry the value into another process or a log handler.
    __reduce__ = _refuse
    __reduce_ex__ = _refuse

    def __copy__(self) -> Private:
        return self  # immutable: a copy is the same detail, still wrapped

    def __deepcopy__(self, memo: dict[int, Any]) -> Private:
        return self

    def __bool__(self) -> bool:
        # Defined so that truth tests do not fall through to the refusing __len__.
        return True

    def __repr__(self) -> str:
        # Shown by tracebacks, debuggers and log records: never the value.
        return "Private(<hidden>)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Private) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Private, self._value))


Piece = str | Private
Sentence = Sequence[Piece]


@dataclass(frozen=True)
class Utterance:
    """Text ready for the TTS, with what happened to private details.

    ``text`` is left out of ``repr`` so that logging an utterance never logs
    what it says; ``private`` tells the TTS to keep the audio out of the shared cache.
    """

    text: str = field(repr=False)
    lang: str
    private: bool
    withheld: bool

    def __str__(self) -> str:
        return repr(self)


def may_speak_private(*, headset: bool, asked: bool) -> bool:
    """Whether private details may be spoken: only into a headset or when the person asked."""
    return headset is True or asked is True


def _is_private(sentence: Sentence) -> bool:
    return any(isinstance(piece, Private) for piece in sentence)


def _join(sentence: Sentence) -> str:
    pieces = []
    for piece in sentence:
        if isinstance(piece, Private):
            pieces.append(piece._value)  # noqa: SLF001 - the one sanctioned reader
        elif isinstance(piece, str):
            pieces.append(piece)
        else:
            raise TypeError(f"a sentence holds str or Private, not {type(piece).__name__}")
    return "".join(pieces).strip()


def build_speech(
    sentences: Iterable[Sentence | str],
    *,
    lang: str,
    headset: bool,
    asked: bool,
) -> Utterance:
    """The spoken text of a screen from its sentences, each a plain string or a tuple of pieces.

    A sentence holding any :class:`Private` piece is spoken whole when
    :func:`may_speak_private` allows it. Otherwise the whole sentence is dropped,
    and the neutral sentence ("Les informations sont à l'écran.") is said once,
    where the first dropped sentence was. Numbers, times and dates are written
    out for the TTS (:func:`voice.spoken.normalise`).
    """
    if lang not in NEUTRAL and lang != "ko":
        raise ValueError(f"no neutral sentence for language {lang!r}")
    allowed = may_speak_private(headset=headset, asked=asked)
    spoken: list[str] = []
    private = withheld = False
    for sentence in sentences:
        parts: Sentence = (sentence,) if isinstance(sentence, str | Private) else sentence
        if _is_private(parts):
            if not allowed:
                if not withheld:
                    spoken.append(NEUTRAL.get(lang, NEUTRAL["en"]))
                withheld = True
                continue
            private = True
        text = _join(parts)
        if text:
            spoken.append(normalise(text, lang))
    return Utterance(text=" ".join(spoken), lang=lang, private=private, withheld=withheld)


class SpeechBuilder:
    """A fluent way to call :func:`build_speech` from a view.

    ``SpeechBuilder("fr", headset=False, asked=False).say("Bonjour").say_private(
    "Vous êtes ", name, ".").build()``; plain ``str`` pieces passed to
    :meth:`say_private` are wrapped in :class:`Private`.
    """

    def __init__(self, lang: str, *, headset: bool = False, asked: bool = False) -> None:
        self.lang = lang
        self.headset = headset
        self.asked = asked
        self._sentences: list[tuple[Piece, ...]] = []

    def say(self, *pieces: Piece) -> SpeechBuilder:
        """Add a sentence; it is private if any piece is :class:`Private`."""
        self._sentences.append(pieces)
        return self

    def say_private(self, *pieces: Piece) -> SpeechBuilder:
        """Add a sentence that is private as a whole (every piece is treated as private)."""
        self._sentences.append(tuple(Private(p) if isinstance(p, str) else p for p in pieces))
        return self

    def build(self) -> Utterance:
        """The utterance, applying the privacy rule."""
        return build_speech(self._sentences, lang=self.lang, headset=self.headset, asked=self.asked)
