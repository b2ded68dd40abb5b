"""What the doctor wrote, on pages at the end of a consultation (templates/consult/end.html).

A letter can hold 3000 characters: it goes on over as many pages as it needs (kiosk.visit.pages),
cut between sentences, never inside one unless a single sentence is taller than half a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.visit.pages import (
    LEAD_FONT,
    MARGIN,
    WIDTH,
    Page,
    budget,
    lines_of,
    page_of,
    split,
    text_size,
    wrap,
)

FONT = {"lead": LEAD_FONT, "heading": 1.3, "text": 1.3, "notice": 1.0, "error": 1.0}
BOLD = {"heading", "error"}
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
INSET = {"text": 1.5, "notice": 3.5, "error": 3.5}  # a box's border, padding and icon (rem)


@dataclass(frozen=True)
class Block:
    """A piece of a letter: ``kind`` is lead, heading, text or notice. A text cut into lines
    keeps where each line came from (``source`` block, ``paragraph`` in it), so a page joins
    them again."""

    kind: str
    text: str
    source: int = 0
    paragraph: int = 0


def _block_height(block: Block, size: int) -> float:
    font = FONT[block.kind]
    width = WIDTH[size] - INSET.get(block.kind, 0.0)
    line = font * (1.2 if block.kind == "heading" else 1.4)
    padding = 1.0 if block.kind in ("notice", "error") else 0.0
    bold = block.kind in BOLD
    lines = sum(lines_of(part, width, font, bold) for part in block.text.split("\n"))
    return lines * line + padding + MARGIN


def _pieces(blocks: Sequence[Block], size: int, room: float) -> list[Block]:
    """Texts cut into sentences, so a long one can go on over several pages without cutting
    a sentence; a sentence taller than half a page (``room``) is cut into its lines."""
    pieces: list[Block] = []
    width = WIDTH[size] - INSET["text"]
    for number, block in enumerate(blocks):
        if block.kind != "text":
            pieces.append(block)
            continue
        for paragraph, part in enumerate(block.text.split("\n")):
            for sentence in SENTENCE_END.split(part.strip()) or [""]:
                piece = Block("text", sentence, number, paragraph)
                if _block_height(piece, size) <= room / 2:
                    pieces.append(piece)
                    continue
                pieces += [Block("text", line, number, paragraph)
                           for line in wrap(sentence, width, FONT["text"], bold=False)]
    return pieces


def _joined(pieces: list[Block]) -> list[Block]:
    """The pieces of one page, each paragraph whole again."""
    joined: list[Block] = []
    for piece in pieces:
        last = joined[-1] if joined else None
        if last and piece.kind == last.kind == "text" and last.source == piece.source:
            sep = " " if last.paragraph == piece.paragraph else "\n"
            joined[-1] = Block("text", f"{last.text}{sep}{piece.text}", piece.source,
                               piece.paragraph)
        else:
            joined.append(piece)
    return joined


def letter_page(blocks: Sequence[Block], reserved: float) -> Page:
    """The page of a letter that fits above ``reserved`` rem (its row of buttons)."""
    size = text_size()
    room = budget(size) - reserved
    pieces = _pieces(blocks, size, room)

    def height(some: list[Block]) -> float:
        total = sum(_block_height(block, size) for block in _joined(some))
        if some and some[-1].kind == "heading":
            total += FONT["text"] * 1.4  # a heading goes with at least a line of its text
        return total

    page = page_of(split(pieces, height, room, pager=0.0))
    return Page(_joined(page.items), page.number, page.count, page.previous, page.next)
