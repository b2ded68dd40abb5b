"""Folding of recognised or typed words so that matching ignores case, accents and punctuation.

The grammar sends accented words to vosk; the matcher compares folded forms, so
"premiere", "première" and "PREMIÈRE" are the same word to it.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes, hyphens and every other punctuation mark separate words:
# "vingt-et-un" and "vingt et un" must fold to the same tokens.
_SEPARATORS = re.compile(r"[^\w]+|_")
# "14h30", "1er" -> "14 h 30", "1 er": digits and letters are separate tokens.
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
# "14:30" is a time: keep the hour mark as a word.
_CLOCK = re.compile(r"(?<=\d):(?=\d)")


def strip_accents(text: str) -> str:
    """Remove diacritics ("é" -> "e", "ç" -> "c"); other characters (Hangul too) are kept."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # Hangul syllables decompose into jamo under NFD: recompose what is left.
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of ``text`` used for every comparison."""
    text = _CLOCK.sub(" h ", text.casefold())
    text = strip_accents(text).replace("œ", "oe").replace("æ", "ae")
    text = _DIGIT_LETTER.sub(" ", text)
    return " ".join(_SEPARATORS.sub(" ", text).split())


_VOWELS = frozenset("aeiouy")


def spelled_out(phrase: str) -> str | None:
    """``phrase`` with its letter words ("QR", "SMS": no vowel) said letter by letter ("q r
    code"), as people and the recogniser say them; ``None`` when it has none."""
    words = fold(phrase).split()
    out = [" ".join(w) if 1 < len(w) <= 4 and w.isalpha() and not set(w) & _VOWELS else w
           for w in words]
    return " ".join(out) if out != words else None


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    return tuple(fold(text).split())
