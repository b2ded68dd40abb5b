"""People named in choice labels, and their sex as their first name tells it.

"Monsieur Dupont" picks André Dupont when he is the only man among the Dupont shown,
and "une femme de préférence" picks Le docteur Claire Martin when she is the only
woman. The kiosk's screens show names, not sexes, so the sex comes from the first
name, looked up in gender-guesser's table of first names (offline data shipped with
the package). A name the table does not know for sure (Dominique, Camille) gives no
sex, and then no title or "une femme" picks that person.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from voice.lexicon import lexicon
from voice.text import fold


@cache
def _detector() -> Any:
    # Loaded on first use only (about 0.2 s and a few MB): most screens name nobody.
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _names(label: str, lang: str) -> list[str]:
    """Candidate first names in ``label``: each capitalised word followed by another one, titles
    aside ("Le docteur Claire Martin" -> "Claire"; "Jeanne Dupont" -> "Jeanne")."""
    lex = lexicon(lang)
    titles = {fold(t) for t in (*lex.titles, *lex.common, *lex.stopwords)}
    titles |= {"dr", "doctor", "docteur", "le", "la", "the"}
    words = [w.strip(".,;:!?()'\"") for w in label.split()]
    return [w for w, after in zip(words, words[1:], strict=False)
            if _capitalised(w) and _capitalised(after) and fold(w) not in titles]


def names_in(label: str, lang: str) -> frozenset[str]:
    """The folded words of the names in ``label`` ("Claire Martin" -> "claire", "martin")."""
    words = [w.strip(".,;:!?()'\"") for w in label.split()]
    titles = {fold(t) for t in lexicon(lang).doctor_titles}
    runs = {i for i in range(len(words) - 1)
            if _capitalised(words[i]) and _capitalised(words[i + 1])}
    return frozenset(fold(words[j]) for i in runs for j in (i, i + 1)
                     if fold(words[j]) not in titles)


@cache
def sex_of(label: str, lang: str) -> str | None:
    """ "F" or "M" for the person ``label`` names, when their first name tells it for sure
    (the first name the table knows decides; an unsure one gives ``None``)."""
    for name in _names(label, lang):
        found = _detector().get_gender(name)
        if found != "unknown":
            return {"female": "F", "male": "M"}.get(found)
    return None
