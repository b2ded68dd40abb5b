"""Who speaks: a carer who speaks of the person in the third person ("elle a pas sa carte, ma
mère", "she has an appointment at eleven, my mum", "it's in her bag") means what the person
would say of themselves ("je n'ai pas ma carte", "I have an appointment"). The lexicon gives
each third person form with its first person form, and the possessives ("sa" -> "ma", "her"
-> "my");
a form followed by an object or an article that says someone else has it ("elle l'a",
"she's got it", "il a la carte") is left as it is: the card may be in someone else's hands.
"""

from __future__ import annotations

from functools import cache

from voice.lexicon import lexicon
from voice.phrases import Said, Tokens, hear
from voice.text import fold, tokens

# "j'ai", "I have", "I've got": the forms after which an object says someone else has it.
_HAVING = frozenset({"ai", "have", "got"})


@cache
def _forms(lang: str) -> tuple[tuple[Tokens, Tokens], ...]:
    found = {tokens(third): tokens(own) for third, own in lexicon(lang).third_persons.items()}
    return tuple(sorted(found.items(), key=lambda pair: len(pair[0]), reverse=True))


@cache
def _possessives(lang: str) -> dict[str, str]:
    return {fold(third): fold(own) for third, own in lexicon(lang).possessives.items()}


def in_first_person(said: Said) -> Said | None:
    """``said`` as the person would say it of themselves, if a carer said it of them; else
    ``None``."""
    forms = _forms(said.lang)
    if not forms:
        return None
    others = {fold(w) for w in lexicon(said.lang).others_have}
    words, out, i, changed = said.words, [], 0, False

    def fits(third: Tokens, own: Tokens, at: int) -> bool:
        after = words[at + len(third) : at + len(third) + 1]
        having = bool(set(own) & _HAVING)
        return words[at : at + len(third)] == third and not (having and set(after) & others)

    while i < len(words):
        form = next((pair for pair in forms if fits(*pair, i)), None)
        if form is None:
            out.append(words[i])
            i += 1
            continue
        out += form[1]
        i += len(form[0])
        changed = True
    # Their own things too: "dans son sac", "her card" (not "le son", the sound).
    possessives = _possessives(said.lang)
    own = [possessives.get(w, w) if not k or out[k - 1] not in others else w
           for k, w in enumerate(out)]
    if not changed and own == out:
        return None
    return hear(" ".join(own), said.lang)
