"""Ticket layout: ESC/POS bytes rendered with python-escpos, no I/O.

Rendering goes into ``escpos.printer.Dummy`` so the exact bytes can be checked
against a golden file and written through any pyserial URL (DEVICES.md §10:
``escpos.printer.Serial`` cannot open URLs).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from escpos.printer import Dummy

from peripherals.models import Ticket

PROFILE = "TM-T88V"
CODE_PAGE = "CP858"  # Western European with the euro sign: French accents print right

# Typography that CP858 lacks; without this it would print as "?".
_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u0153": "oe",
        "\u0152": "OE",
    }
)


def printable(text: str) -> str:
    """Replace typographic characters missing from CP858 with plain ones."""
    return text.translate(_PLAIN)


def _wrapped(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    for paragraph in printable(text).splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, columns, break_on_hyphens=False) or [""])
    return lines


def render_ticket(
    site: str,
    when: str,
    code: str,
    qr_payload: str,
    lines: Sequence[str] = (),
    *,
    profile: str = PROFILE,
) -> bytes:
    """Lay out a ticket and return its ESC/POS bytes.

    ``when`` is the date and time already written out in words by the caller
    (``"mardi douze mars à quatorze heures trente"``); ``code`` prints large,
    ``qr_payload`` becomes a native QR code; ``lines`` follow in normal text.
    """
    printer = Dummy(profile=profile)
    columns = printer.profile.get_columns("a")
    printer.hw("INIT")
    printer.charcode(CODE_PAGE)
    # Native QR ignores center=True: alignment must be set beforehand.
    # Double height only: double width would cut long place names mid-word.
    printer.set(align="center", bold=True, double_height=True)
    for line in _wrapped(site, columns):
        printer.textln(line)
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.ln()
    for line in _wrapped(when, columns):
        printer.textln(line)
    printer.ln()
    printer.set(align="center", bold=True, custom_size=True, width=3, height=3)
    for line in _wrapped(code, columns // 3):
        printer.textln(line)
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.ln()
    printer.qr(qr_payload, native=True, size=6)
    printer.set(align="left")
    for text in lines:
        for line in _wrapped(text, columns):
            printer.textln(line)
    printer.cut()
    return bytes(printer.output)


def render(ticket: Ticket, *, profile: str = PROFILE) -> bytes:
    """Render a :class:`~peripherals.models.Ticket` (see :func:`render_ticket`)."""
    return render_ticket(
        ticket.site, ticket.when, ticket.code, ticket.qr_payload, ticket.lines, profile=profile
    )
