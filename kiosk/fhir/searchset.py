"""Answering a search: the searchset Bundle with its ``self`` and ``next`` links, the resources
``_include`` adds, and the journal of whose records went out (SECURITY.md item 17).

Every search that returns a person's record (an appointment, a patient, a reading, matched or
included) writes one journal row per person: actor ``api:<token name>``, action
``<resource>.searched``, subject the patient's pseudonym.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fhir.resources.R4B.resource import Resource
from flask import Response, url_for

from kiosk.core.db import get_db
from kiosk.core.records import utcnow
from kiosk.fhir import resources, writes
from kiosk.fhir.auth import actor
from kiosk.fhir.outcome import resource_response
from kiosk.fhir.params import Search

T = TypeVar("T")


@dataclass(frozen=True)
class Found:
    """A resource for the Bundle, and the pseudonym of the person it is about (if any)."""

    resource: Resource
    pseudonym: str | None = None


def full_url(resource: Resource) -> str:
    """Where the resource is read: each type's read view is called ``read_<type>``."""
    endpoint = ".read_" + resource.get_resource_type().lower()
    return url_for(endpoint, resource_id=resource.id, _external=True)


def _search_url(endpoint: str, args: dict[str, list[str]]) -> str:
    """The absolute URL of the search with ``args`` as its query string."""
    # url_for's own options (_anchor, _method, _scheme) are no FHIR parameter: the search
    # only keeps the names its spec declares, so every name here goes to the query string.
    values: dict[str, Any] = dict(args)
    return url_for(endpoint, _external=True, **values)


def answer(
    search: Search,
    endpoint: str,
    matches: Sequence[Found],
    total: int,
    included: Sequence[Found] = (),
) -> Response:
    """The searchset Bundle for one page of ``matches`` (of ``total``), plus ``included``.

    The people whose records it holds are journaled before it is sent.
    """
    people = [found.pseudonym for found in (*matches, *included) if found.pseudonym]
    if people:
        action = f"{search.spec.resource.lower()}.searched"
        writes.journal(get_db(), actor(), action, people, utcnow())
    entries = [(full_url(f.resource), f.resource, "match") for f in matches]
    entries += [(full_url(f.resource), f.resource, "include") for f in included]
    next_url = None
    if search.offset + len(matches) < total:
        next_offset = search.offset + search.count
        next_url = _search_url(endpoint, search.query_args(next_offset))
    self_url = _search_url(endpoint, search.query_args())
    return resource_response(resources.searchset(entries, total, self_url, next_url))


def page(items: Sequence[T], search: Search) -> list[T]:
    """The page of a result found in full (for searches that filter in Python)."""
    return list(items[search.offset : search.offset + search.count])
