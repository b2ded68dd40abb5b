"""The one check before any redirect to a target a person or a session supplied (issue 15
item 9): only a path on this kiosk comes back, never another site.

Browsers read a backslash as a slash and drop tabs and newlines inside a URL, so
``/\\evil.example/x`` and ``/\\t/evil.example`` both open evil.example although they start with
one "/". Such a value, a scheme (``https:``, ``javascript:``), a host (``//evil``), any
control or blank character, or a percent-encoded slash or backslash that a proxy might decode,
gives the default instead.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 200


def safe_target(value: object, default: str = "/") -> str:
    """``value`` if it is a local path ("/booking/reason?x=1"), else ``default``.

    ``default`` is checked too (it must be a local path written in the code); a bad one
    raises ValueError, so a mistake shows in the tests rather than as an open redirect."""
    if not is_local_path(default):
        raise ValueError(f"the default target {default!r} is not a local path")
    return value if isinstance(value, str) and is_local_path(value) else default


def is_local_path(value: str) -> bool:
    """True for a path on this kiosk, whatever a browser or proxy makes of it."""
    if not value or len(value) > MAX_LENGTH:
        return False
    # Tested on the value and on its decoded form: "/%5Cevil" is "/\evil" to whoever decodes.
    return all(_plain_local(form) for form in {value, unquote(value)})


def _plain_local(value: str) -> bool:
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in value):
        return False  # tabs, newlines, NUL, invisible format characters: browsers drop some
    if "\\" in value:
        return False  # a kiosk path never holds one, and browsers read it as "/"
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
