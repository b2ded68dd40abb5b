"""Long content on pages, never below the fold (ACCESSIBILITY.md item 27).

Elderly people do not scroll. A list of choices, a summary or a letter that does not fit on
the kiosk's 1920x1080 screen is cut into pages, with "Précédent" and "Suite": ordinary visible
buttons, so they are spoken with the screen and answer to voice like any other. The page is in
the address (``?page=2``): every answer given stays in the visit, and the screen can be loaded
again as it is.

How much fits is measured in rem of the chosen text size: the same screen holds about half as
much with "Texte plus grand". The heights below follow kiosk.css; the browser harness
(tests/browser/fit.py) checks on every screen that the result really fits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import request

from kiosk.speech import recognition
from kiosk.visit import state as visit_state

T = TypeVar("T")

# Height left under the question for the screen's own content, in rem (24 px, or 48 px with
# "Texte plus grand"), when "Parler" is shown: the toolbar, the footer and the step take the
# rest of the 1080 px; "Parler" itself takes VOICE. The width of the content at 1920 px.
BUDGET = {1: 30.5, 2: 12.5}
VOICE = {1: 3.2, 2: 1.6}
WIDTH = {1: 77.0, 2: 38.5}
# Average width of a character, in em (DejaVu Sans): bold, and regular.
CHAR_EM = 0.68
REGULAR_EM = 0.6
GAP = {1: 0.67, 2: 0.5}  # between two rows of choices (16 px, 24 px)
PAGER = 3.2  # the "Précédent / Suite" row
LEAD_FONT = 1.15
LEAD_LINE = LEAD_FONT * 1.4  # a line of the larger lead text
MARGIN = 0.75  # under each paragraph (kiosk.css var(--gap))
H1_FONT = 1.45
# Columns of choices for each layout (kiosk.css .options-*), by text size.
COLUMNS = {"list": {1: 2, 2: 2}, "grid": {1: 4, 2: 3}, "times": {1: 6, 2: 4}}
OPTION_CHROME = 3.5  # icon, padding, gap and border beside a choice's words, in em
SHORT = 4  # characters: a grid of words this short takes the narrow columns of times


@dataclass(frozen=True)
class Page:
    """One page of a longer content: its items, where it stands, and the links around it."""

    items: list[Any]
    number: int
    count: int
    previous: str | None
    next: str | None


def text_size() -> int:
    """1 for normal text, 2 for "Texte plus grand"."""
    return 2 if visit_state.load().text_size == 2 else 1


def budget(size: int) -> float:
    """The height for a screen's content, in rem: more where "Parler" is not offered."""
    return BUDGET[size] + (0.0 if recognition.offered() else VOICE[size])


def wrap(text: str, width_rem: float, font_rem: float = 1.0, bold: bool = True) -> list[str]:
    """``text`` cut into the lines a box ``width_rem`` wide shows: words wrapped as the browser
    does, each character taken as wide as an average one (an estimate)."""
    per_line = max(1, int(width_rem / (font_rem * (CHAR_EM if bold else REGULAR_EM))))
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        if current and len(current) + 1 + len(word) <= per_line:
            current = f"{current} {word}"
            continue
        if current:
            lines.append(current)
        # A word longer than a line breaks inside (overflow-wrap: break-word).
        while len(word) > per_line:
            lines.append(word[:per_line])
            word = word[per_line:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def lines_of(text: str, width_rem: float, font_rem: float = 1.0, bold: bool = True) -> int:
    """How many lines ``text`` takes in a box ``width_rem`` wide (see ``wrap``)."""
    return len(wrap(text, width_rem, font_rem, bold))


def lead_height(lines: Sequence[str], size: int) -> float:
    """The height of the lead sentences above a list."""
    width = WIDTH[size]
    return sum(lines_of(line, width, LEAD_FONT, bold=False) * LEAD_LINE + MARGIN
               for line in lines if line)


def heading_height(question: str, size: int) -> float:
    """What a question longer than one line takes from the content below it."""
    return (lines_of(question, WIDTH[size], H1_FONT) - 1) * H1_FONT * 1.2


def _url(number: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(number)
    return f"{request.path}?{urlencode(args)}"


def requested() -> int:
    """The page asked for in the address (1 when absent or wrong)."""
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else 1


def split(
    items: Sequence[T],
    height: Callable[[list[T]], float],
    budget: float,
    pager: float = PAGER,
) -> list[list[T]]:
    """Cut ``items`` into pages whose ``height`` (of the items on a page) fits ``budget``.

    Everything on one page when it fits; otherwise each page keeps ``pager`` rem for
    "Précédent" and "Suite". A single item taller than a page still gets a page of its own.
    """
    items = list(items)
    if height(items) <= budget + 1e-9:
        return [items]
    pages: list[list[T]] = [[]]
    for item in items:
        if pages[-1] and height([*pages[-1], item]) > budget - pager + 1e-9:
            pages.append([])
        pages[-1].append(item)
    return pages


def page_of(pages: list[list[T]]) -> Page:
    """The page the address asks for (the last one if it asks for more)."""
    count = len(pages)
    number = min(requested(), count)
    return Page(
        items=pages[number - 1],
        number=number,
        count=count,
        previous=_url(number - 1) if number > 1 else None,
        next=_url(number + 1) if number < count else None,
    )


def choices_height(options: list[dict[str, Any]], layout: str, size: int) -> float:
    """The height of a list of choices laid out in rows of ``COLUMNS`` (kiosk.css)."""
    columns = COLUMNS.get(layout, COLUMNS["list"])[size]
    gap = GAP[size]
    column_width = (WIDTH[size] - (columns - 1) * gap) / columns - OPTION_CHROME
    total = 0.0
    for start in range(0, len(options), columns):
        row = options[start : start + columns]
        lines = max(
            lines_of(o["word"], column_width) + (lines_of(o["detail"], column_width)
                                                  if o.get("detail") else 0)
            for o in row
        )
        total += max(2.6, 1.0 + 1.4 * lines) + gap
    return total


def choices_page(context: dict[str, Any]) -> dict[str, Any]:
    """The page of a choice screen's options that fits, with its pager; the Retour of a later
    page turns back one page, like "Précédent"."""
    size = text_size()
    options = list(context.get("options") or [])
    layout = context.get("layout") or "list"
    if layout == "grid" and options and all(len(str(o["word"])) <= SHORT for o in options):
        layout = "times"  # numbers (days of the month): narrower columns, fewer pages
    taken = heading_height(str(context.get("question", "")), size)
    taken += lead_height([str(line) for line in context.get("lines") or []], size)
    if context.get("error"):
        taken += lead_height([str(context["error"])], size) + 1.0
    if context.get("links"):
        taken += PAGER
    room = budget(size) - taken
    page = page_of(split(options, lambda some: choices_height(some, layout, size), room))
    extra: dict[str, Any] = {"options": page.items, "pager": page, "layout": layout}
    if page.previous:
        extra["back"] = page.previous
    return extra


# -- big keys (templates/booking/keypad.html) ------------------------------------------------

KEY_WIDTH = {"letters": {1: 3.2, 2: 2.6}, "digits": {1: 4.5, 2: 2.6}}  # kiosk.css .keys-*
KEYS_WIDTH = {"letters": {1: WIDTH[1], 2: WIDTH[2]}, "digits": {1: 64.0, 2: WIDTH[2]}}
KEY_GAP = {1: 0.6, 2: 0.3}
KEY_HEIGHT = {1: 2.6, 2: 1.6}
KEYPAD_TOP = 2.6 + 0.5  # what is typed, beside Effacer and Valider, and the gap below


def keys_page(context: dict[str, Any]) -> dict[str, Any]:
    """The keys that fit, with Valider always in sight: when they do not all fit (larger text
    and an error), they come on pages. With larger text, an error takes the place of the hint:
    it says what to do."""
    size = text_size()
    kind = context.get("kind") or "letters"
    hint = "" if size == 2 and context.get("error") else str(context.get("hint") or "")
    gap = KEY_GAP[size]
    per_row = max(1, int((KEYS_WIDTH[kind][size] + gap) / (KEY_WIDTH[kind][size] + gap)))
    taken = KEYPAD_TOP + lead_height([hint], size)
    if context.get("error"):
        taken += lead_height([str(context["error"])], size) + 1.0

    def height(keys: list[str]) -> float:
        slots = sum(3 if key == " " else 1 for key in keys)  # the space bar is 3 keys wide
        return math.ceil(slots / per_row) * (KEY_HEIGHT[size] + gap)

    # The pager shares the row of Valider.
    page = page_of(split(context["keys"], height, budget(size) - taken, pager=0.0))
    return {"keys": page.items, "pager": page, "hint": hint}


# -- the summary to check before booking (templates/booking/check.html) ------------------------

SUMMARY_BUTTON = 8.5  # "Modifier", with the gaps around it (kiosk.css .summary-row)
SUMMARY_LABEL_SHARE = 0.6  # the label's share of the rest (3fr and 2fr)
CHECK_FIXED = 1.4 + MARGIN + 3.6 + 0.5  # the sentence, Confirmer's row, the summary's margin


def summary_page(rows: Sequence[tuple[Any, Any, Any]]) -> Page:
    """The rows of the summary that fit with Confirmer always in sight."""
    size = text_size()
    label = (WIDTH[size] - SUMMARY_BUTTON) * SUMMARY_LABEL_SHARE
    value = (WIDTH[size] - SUMMARY_BUTTON) - label

    def height(some: list[tuple[Any, Any, Any]]) -> float:
        return sum(
            max(1.4 * max(lines_of(str(r[0]), label), lines_of(str(r[1]), value)), 2.2) + 0.4
            for r in some
        )

    # The pager shares the row of Confirmer: nothing more to keep for it.
    return page_of(split(rows, height, budget(size) - CHECK_FIXED, pager=0.0))


# -- a screen in parts: all together, or one part per page with larger text --------------------


def parts_page(count: int) -> Page:
    """Which of a screen's ``count`` parts show: all of them with normal text; one per page
    with "Texte plus grand" (``items`` holds the part numbers, from 1)."""
    if text_size() == 1:
        return Page(list(range(1, count + 1)), 1, 1, None, None)
    return page_of([[number] for number in range(1, count + 1)])
