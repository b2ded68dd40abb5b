"""Self-corrections: "lundi, non, plutôt vendredi", "euh le six non le sept", "jeanne no sorry
andré". The answer said last, after words that take back the one before it, is the one meant.

Only between two answers of the same screen (two days, two times, two people, two codes):
never between a yes and a no ("oui enfin non" stays unclear, and a read-back is never
corrected this way), and never when either part alone is no answer ("lundi, non" is no day;
"jeudi, non, je ne sais plus" is nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from voice.answers import NO, YES, Intent
from voice.grammar import Step
from voice.lexicon import lexicon
from voice.phrases import Said, Tokens, hear
from voice.screen import screen
from voice.text import tokens

# What a self-correction can change: an answer picked on screen, typed, or a time or date.
_ANSWERS = ("choice", "time", "date", "code")


@cache
def _markers(lang: str) -> tuple[Tokens, ...]:
    found = {tokens(p) for p in lexicon(lang).corrections}
    return tuple(sorted((m for m in found if m), key=len, reverse=True))


def _marks(said: Said) -> list[tuple[int, int]]:
    """Where words that take an answer back were said, as [start, end) word ranges."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(said.words):
        marker = next((m for m in _markers(said.lang)
                       if said.words[i : i + len(m)] == m), None)
        if marker is None:
            i += 1
            continue
        out.append((i, i + len(marker)))
        i += len(marker)
    return out


def _last_group(said: Said, marks: list[tuple[int, int]]) -> tuple[int, int]:
    """The last run of markers with nothing that carries meaning between them ("non,
    plutôt", "no sorry")."""
    start, end = marks[-1]
    for before_start, before_end in reversed(marks[:-1]):
        if any(i in said.meaning for i in range(before_end, start)):
            break
        start = before_start
    return start, end


def _yes_or_no(intent: Intent, step: Step) -> bool:
    if intent in (YES, NO):
        return True
    shown = screen(step)
    return intent.kind == "choice" and intent.index in (shown.answer("yes"), shown.answer("no"))


def corrected(said: Said, step: Step, understand: Callable[[Said, Step], Intent]) -> Intent | None:
    """The answer said after a self-correction, when ``said`` holds one; ``understand``
    reads each part (the matcher, which may find another correction in the first part)."""
    if step.yes_no and not step.choices:
        return None  # a read-back: "oui... enfin non" is never a confirmation
    marks = _marks(said)
    if not marks:
        return None
    start, end = _last_group(said, marks)
    if not any(i in said.meaning for i in range(end, len(said.words))) or not any(
            i in said.meaning for i in range(start)):
        return None
    before = understand(hear(" ".join(said.words[:start]), said.lang), step)
    after = understand(hear(" ".join(said.words[end:]), said.lang), step)
    if before.kind not in _ANSWERS or after.kind not in _ANSWERS or before == after:
        return None  # nothing taken back: the words around the marker decide
    if _yes_or_no(before, step) or _yes_or_no(after, step):
        return None
    return after
