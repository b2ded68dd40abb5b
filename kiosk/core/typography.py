"""French typography on screen: no line break inside a time, nor before "?", "!", ":", ";".

A screen that wraps "9 h" from "00", or leaves "?" alone at the start of a line, is hard to
read. French puts a space before those signs; here it becomes a space the line cannot break
at: a narrow one (U+202F) before ? ! ; and inside « », a full one (U+00A0) before : and
inside times and measures. Applied to the text of every rendered screen, never to its tags or
attribute values (an SVG path "10 h 20" must keep its plain spaces), and never to printed
tickets: the printer's code page has no such characters.
"""

from __future__ import annotations

import re

from flask import Flask, Response

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d) h (\d\d)\b"), rf"\1{NBSP}h{NBSP}\2"),  # 9 h 00
    (re.compile(r"(\d) h\b"), rf"\1{NBSP}h"),  # 9 h
    (re.compile(r"(\d{1,2}:\d\d) ([AaPp]\.?[Mm]\.?)"), rf"\1{NBSP}\2"),  # 9:00 AM
    (re.compile(r"(\d) (mmHg|minutes?|secondes?|euros?|€)"), rf"\1{NBSP}\2"),  # 163 mmHg
    (re.compile(r"[ \t]+([?!;])"), rf"{NNBSP}\1"),
    (re.compile(r"[ \t]+:(?=\s|$)"), rf"{NBSP}:"),
    (re.compile(r"«[ \t]+"), f"«{NNBSP}"),
    (re.compile(r"[ \t]+»"), f"{NNBSP}»"),
)
# Tags, comments and the contents of script and style: left exactly as they are.
_MARKUP = re.compile(r"(<!--.*?-->|<(script|style)\b.*?</\2\s*>|<[^>]*>)", re.DOTALL | re.I)


def tidy(text: str) -> str:
    """``text`` with the spaces that must not break made unbreakable."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def tidy_html(html: str) -> str:
    """Every text run of ``html`` through ``tidy``; markup untouched."""
    out: list[str] = []
    position = 0
    for markup in _MARKUP.finditer(html):
        out.append(tidy(html[position : markup.start()]))
        out.append(markup.group(0))
        position = markup.end()
    out.append(tidy(html[position:]))
    return "".join(out)


def _tidy_response(response: Response) -> Response:
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    response.set_data(tidy_html(response.get_data(as_text=True)))
    return response


def init_app(app: Flask) -> None:
    """Tidy every HTML page and htmx partial the app sends, whoever rendered it."""
    app.after_request(_tidy_response)
