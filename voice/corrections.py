"""Self-corrections: "lundi, non, plutôt vendredi", "euh le six non le sept", "jeanne no sorry
andré". The answer said last, after words that take back the one before it, is the one meant.

Only between two answers of the same screen (two days, two times, two people, two codes):
never between a yes and a no ("oui enfin non" stays unclear, and a read-back is never
corrected this way), and never when either part alone is no answer ("lundi, non" is no day;
"jeudi, non, je ne sais plus" is nothing). A marker that ends the answer takes nothing back
by itself ("monday no friday rather": the "no" before it does). A code corrected by its
last digits, then said whole again ("trente-huit, non, trente-neuf, mille neuf cent
trente-neuf") is the whole said last.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from voice.answers import NO, YES, Intent, code
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


def _groups(said: Said, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of markers with nothing that carries meaning between them ("non, plutôt",
    "no sorry"), in order."""
    groups: list[tuple[int, int]] = []
    for start, end in marks:
        if groups and not any(i in said.meaning for i in range(groups[-1][1], start)):
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return groups


def _last_group(said: Said, marks: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The last run of markers that has an answer after it: one that ends the answer
    ("friday rather") takes nothing back."""
    return next((g for g in reversed(_groups(said, marks))
                 if any(i in said.meaning for i in range(g[1], len(said.words)))), None)


def _said_whole_again(before: Intent, after: Intent) -> Intent:
    """A code corrected by its end, then said whole again: "1938, no, 39, 1939" reads
    "391939" after the marker; the whole, as long as the code taken back, is meant."""
    if before.kind != "code" or after.kind != "code" or not before.code or not after.code:
        return after
    size = len(before.code)
    fix, whole = after.code[:-size], after.code[-size:]
    if len(after.code) > size and whole.endswith(fix) and whole != before.code:
        return code(whole)
    return after


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
    group = _last_group(said, marks)
    if group is None:
        return None
    start, end = group
    if not any(i in said.meaning for i in range(start)):
        return None
    before = understand(hear(" ".join(said.words[:start]), said.lang), step)
    after = understand(hear(" ".join(said.words[end:]), said.lang), step)
    if before.kind not in _ANSWERS or after.kind not in _ANSWERS or before == after:
        return None  # nothing taken back: the words around the marker decide
    if _yes_or_no(before, step) or _yes_or_no(after, step):
        return None
    return _said_whole_again(before, after)
