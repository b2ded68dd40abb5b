"""Word stems, so that another form of a word still matches: "annulez" and "annuler",
"commence" and "commencer", "rougeurs" and "rougeur", "coughing" and "cough".

Snowball's stemmers (the snowballstemmer package) on folded words. A match by stem is
weaker evidence than the word itself: "booked" is its own keyword ("I have an
appointment") before it is a form of "book".
"""

from __future__ import annotations

from functools import cache

import snowballstemmer

_LANGUAGES = {"fr": "french", "en": "english"}
# Words this short are left whole: their stems say too little ("mal", "pas").
_SHORTEST = 4
# French verb endings, taken off before Snowball sees the word: it works on accented words,
# and the kiosk's are folded ("recommencé" -> "recommence", which Snowball would read as a
# noun in "-ence").
_ENDINGS = {"fr": ("ees", "ez", "er", "es", "ee", "e")}


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer | None:
    name = _LANGUAGES.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@cache
def stem(word: str, lang: str) -> str:
    """The stem of the folded ``word`` in ``lang`` (the word itself when it is short, or when
    no stemmer knows the language)."""
    stemmer = _stemmer(lang)
    if stemmer is None or len(word) < _SHORTEST or not word.isalpha():
        return word
    for ending in _ENDINGS.get(lang, ()):
        if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST:
            word = word[: -len(ending)]
            break
    return str(stemmer.stemWord(word))
