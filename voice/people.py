"""People named in choice labels, and their sex when the kiosk knows it.

"Monsieur Dupont" picks André Dupont when he is the only man among the Dupont shown, and
"une femme de préférence" picks the one woman among the doctors shown. The sex is what the
kiosk knows, never a guess from a first name: the screen gives it with each choice (a card
holder's comes from the NIR; listen.js sends the button's ``data-voice-sex``), or the label
says it with a title ("Madame Claire Martin", "la docteure Claire Martin"). A person the kiosk
knows nothing about has no sex here, and then no title nor "une femme" picks them.
"""

from __future__ import annotations

from voice.lexicon import lexicon
from voice.text import fold, tokens

_SEXES = ("F", "M")


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def names_in(label: str, lang: str) -> frozenset[str]:
    """The folded words of the names in ``label`` ("Claire Martin" -> "claire", "martin")."""
    words = [w.strip(".,;:!?()'\"") for w in label.split()]
    titles = {fold(t) for t in lexicon(lang).doctor_titles}
    runs = {i for i in range(len(words) - 1)
            if _capitalised(words[i]) and _capitalised(words[i + 1])}
    return frozenset(fold(words[j]) for i in runs for j in (i, i + 1)
                     if fold(words[j]) not in titles)


def sex_of(label: str, lang: str, given: str = "") -> str | None:
    """ "F" or "M" for the person ``label`` names: ``given`` by the screen ("f", "m"), else
    the title the label holds ("Madame", "Mr"); ``None`` when the kiosk does not know."""
    if given.strip().upper() in _SEXES:
        return given.strip().upper()
    titles = {fold(title): sex for title, sex in lexicon(lang).titles.items()}
    said = {titles[word] for word in tokens(label) if word in titles}
    return said.pop() if len(said) == 1 else None
