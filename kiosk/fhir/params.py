"""Search parameters as FHIR R4 reads them (https://hl7.org/fhir/R4/search.html).

Each search declares a ``Spec``: its parameters, their FHIR type and what they mean, and the
``_include`` values it serves. ``kiosk.fhir.capability`` lists the same specs, so the
CapabilityStatement says exactly what is searched.

Rules common to every search:

- A parameter the spec does not name (a typo, a modifier such as ``family:exact``, ``_sort``)
  is refused with 400, so a search never silently widens; unless the request says
  ``Prefer: handling=lenient``, in which case it is left out, and the Bundle's ``self`` link
  shows only what was used.
- Searches are ``GET /fhir/Kind?...`` or ``POST /fhir/Kind/_search`` with the parameters as a
  form body (``application/x-www-form-urlencoded``): the second keeps a NIR out of URLs, and so
  out of proxy logs. The Bundle's links are GET URLs either way.
- Repeating a parameter means "and"; a comma inside one value means "or". Empty values are
  ignored.
- ``_count`` (1 to 200, default 50) and ``_offset`` page the results; the Bundle's ``next``
  link carries them. ``_include`` adds the resources named in the spec.
- Dates: ``2026-12-01`` is that whole day in the site's time zone; a date-time needs its offset
  (``2026-12-01T09:00:00+01:00`` or ``Z``). Prefixes ``eq`` (the default), ``ge``, ``gt``,
  ``le``, ``lt``.
- Tokens: ``system|code``, ``|code`` (no system) or ``code`` (any system). A system the server
  does not use matches nothing.
- References: ``Patient/12`` or ``12``.
- Strings match the start of a word, ignoring case and accents (``lefev`` finds LEFÈVRE).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from flask import request
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, true
from werkzeug.datastructures import MultiDict

from kiosk.fhir.outcome import Invalid, UnsupportedMediaType
from kiosk.fhir.parse import parse_id, parse_reference

DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 100_000
RESULT_PARAMETERS = ("_count", "_offset", "_include")
FORM_TYPE = "application/x-www-form-urlencoded"
PREFIXES = ("eq", "ge", "gt", "le", "lt")
# ASCII: \d alone would also take other scripts' digits.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)
YEARS = (1900, 2999)


@dataclass(frozen=True)
class Param:
    """One search parameter: its name, FHIR type (token, date, reference, string), meaning."""

    name: str
    type: str
    documentation: str


@dataclass(frozen=True)
class Spec:
    """What a resource type's search takes."""

    resource: str
    params: tuple[Param, ...]
    includes: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


# Every search of the API, by resource type, in the order the CapabilityStatement lists them.
SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    """Make ``spec`` known to the CapabilityStatement; returns it."""
    SPECS[spec.resource] = spec
    return spec


@dataclass(frozen=True)
class Search:
    """A checked search: the values of its parameters, its page and its includes."""

    spec: Spec
    values: dict[str, list[str]] = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: tuple[str, ...] = ()

    def get(self, name: str) -> list[str]:
        """The values given for ``name`` (one per occurrence in the query)."""
        return self.values.get(name, [])

    def query_args(self, offset: int | None = None) -> dict[str, list[str]]:
        """The parameters that were used, to rebuild the search's URL (self and next links)."""
        args = {name: list(values) for name, values in self.values.items()}
        if self.includes:
            args["_include"] = list(self.includes)
        args["_count"] = [str(self.count)]
        args["_offset"] = [str(self.offset if offset is None else offset)]
        return args


def search_args() -> MultiDict[str, str]:
    """The search's parameters: the query string, and for ``POST .../_search`` the form body."""
    args = MultiDict(request.args)
    if request.method == "POST":
        if request.mimetype != FORM_TYPE:
            raise UnsupportedMediaType(f"Send the search parameters as {FORM_TYPE}.")
        for name, value in request.form.items(multi=True):
            args.add(name, value)
    return args


def lenient() -> bool:
    """Whether the client asked, with ``Prefer: handling=lenient``, to skip unknown parameters."""
    for part in request.headers.get("Prefer", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "handling" and value.strip().strip('"').lower() == "lenient":
            return True
    return False


def shown(name: str) -> str:
    """A parameter name fit to repeat in an error: only if it looks like a parameter name."""
    plain = name.replace(":", "").replace("-", "").replace(".", "")
    return name if name.isascii() and plain.isidentifier() and len(name) <= 30 else "(unreadable)"


def bounded_int(values: Sequence[str], name: str, low: int, high: int, default: int) -> int:
    """A whole number from low to high, given once; ``default`` if not given."""
    if not values:
        return default
    if len(values) > 1 or not values[0].isascii() or not values[0].isdigit():
        raise Invalid(f"{name} must be one whole number from {low} to {high}.")
    number = int(values[0]) if len(values[0]) <= 7 else high + 1
    if not low <= number <= high:
        raise Invalid(f"{name} must be one whole number from {low} to {high}.")
    return number


def read_search(spec: Spec, args: MultiDict[str, str], skip_unknown: bool = False) -> Search:
    """Check a query string against ``spec``: unknown parameters are 400 unless
    ``skip_unknown`` (the client's ``Prefer: handling=lenient``, see ``lenient``)."""
    values: dict[str, list[str]] = {}
    for name in args:
        if name in RESULT_PARAMETERS:
            continue
        if name not in spec.names:
            if skip_unknown:
                continue
            raise Invalid(
                f"Unsupported search parameter {shown(name)!r}; supported: "
                f"{', '.join((*spec.names, *RESULT_PARAMETERS))}."
            )
        given = [value for value in args.getlist(name) if value != ""]
        if given:
            values[name] = given
    includes: list[str] = []
    for value in args.getlist("_include"):
        for include in value.split(","):
            if include in spec.includes:
                includes.append(include)
            elif not skip_unknown:
                supported = ", ".join(spec.includes) or "none"
                raise Invalid(f"_include: this search includes {supported}.")
    return Search(
        spec=spec,
        values=values,
        count=bounded_int(args.getlist("_count"), "_count", 1, MAX_COUNT, DEFAULT_COUNT),
        offset=bounded_int(args.getlist("_offset"), "_offset", 0, MAX_OFFSET, 0),
        includes=tuple(dict.fromkeys(includes)),
    )


def either(values: str) -> list[str]:
    """The alternatives of one parameter value: ``a,b`` is "a or b"."""
    return [part for part in values.split(",") if part]


# Dates ------------------------------------------------------------------------------------


def interval(text: str, tz: tzinfo, name: str) -> tuple[datetime, datetime]:
    """The span a date value stands for: a whole local day, or one instant."""
    # An unencoded "+" in a query string arrives as a space: "T09:00:00 01:00" meant "+01:00".
    if len(text) > 6 and text[-6] == " ":
        text = text[:-6] + "+" + text[-5:]
    # Years far from now would overflow when converted to UTC, and mean nothing here.
    shaped = DATE.fullmatch(text) or DATE_TIME.fullmatch(text)
    if shaped and YEARS[0] <= int(text[:4]) <= YEARS[1]:
        try:
            if DATE.fullmatch(text):
                day = date.fromisoformat(text)
                start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
                end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
                return start, end
            moment = datetime.fromisoformat(text)
            return moment, moment
        except ValueError:
            pass  # the shape was right but the date does not exist (2026-02-30): same answer
    raise Invalid(
        f"{name} must be a date (2026-12-01) or a date-time with its offset "
        "(2026-12-01T09:00:00Z or 2026-12-01T09:00:00+01:00), after ge, gt, le, lt or eq."
    )


def date_conditions(
    values: Iterable[str], tz: tzinfo, name: str
) -> list[tuple[str, datetime, datetime]]:
    """Each value as (prefix, low, high); ``date_clause`` turns them into SQL."""
    conditions = []
    for value in values:
        prefix, rest = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
        conditions.append((prefix, *interval(rest, tz, name)))
    return conditions


def date_clause(
    column: SQLColumnExpression[datetime], conditions: Iterable[tuple[str, datetime, datetime]]
) -> ColumnElement[bool]:
    """All the conditions on a time column (a day is [start, next day); an instant is exact)."""
    clauses = []
    for prefix, low, high in conditions:
        point = low == high
        if prefix == "ge":
            clauses.append(column >= low)
        elif prefix == "gt":
            clauses.append(column > high if point else column >= high)
        elif prefix == "le":
            clauses.append(column <= high if point else column < high)
        elif prefix == "lt":
            clauses.append(column < low)
        else:
            clauses.append(column == low if point else and_(column >= low, column < high))
    return and_(true(), *clauses)


# Tokens, references, strings --------------------------------------------------------------


def token(text: str) -> tuple[str | None, str]:
    """``system|code`` as (system, code); ``|code`` as ("", code); ``code`` as (None, code)."""
    if "|" in text:
        system, _, code = text.partition("|")
        return system, code
    return None, text


def reference_ids(value: str, kind: str, name: str) -> list[int]:
    """The ids in one reference parameter value (``Kind/12`` or ``12``, comma for "or")."""
    ids = []
    for part in either(value):
        number = parse_reference(part, kind) if "/" in part else parse_id(part)
        if number is None:
            raise Invalid(f"{name} must be {kind}/<id>.")
        ids.append(number)
    return ids


def folded(text: str) -> str:
    """Text for string matching: no accents, upper case, one space between words."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return " ".join(plain.upper().split())


def starts_a_word(wanted: str, *texts: str) -> bool:
    """Whether ``wanted`` starts one of ``texts`` or one of their words (FHIR string search)."""
    key = folded(wanted)
    for text in texts:
        whole = folded(text)
        words = whole.replace("-", " ").replace("'", " ").split()
        if whole.startswith(key) or any(word.startswith(key) for word in words):
            return True
    return False
