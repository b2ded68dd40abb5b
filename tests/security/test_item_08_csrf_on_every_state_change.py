"""SECURITY.md item 8 (issue 15 item 6): every route that accepts POST, PUT, PATCH or DELETE is
refused without the CSRF token, found by walking the whole URL map, unless it is listed below
with the reason it needs none. A refused request changes nothing and gets the app's CSRF answer
(400, "Cette page n'est plus valable.", or the portals' "Cette demande n'est pas valable.")."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.core.records import KioskSession

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Endpoint (or blueprint prefix ending in ".") -> why no CSRF token is asked.
NO_TOKEN_NEEDED = {
    "fhir.": "the FHIR API authenticates each request with a bearer token in the "
             "Authorization header, never a cookie: a forged cross-site request carries nothing",
    "devices.self_test": "the operator's self-test answers only on the loopback and only with "
                         "the admin token file's header (X-Kiosk-Admin); a browser form cannot "
                         "send that header",
}

SAMPLES = {"name": "vitals", "field": "surname", "day": "2026-12-01", "kind": "bp",
           "key": "0" * 64, "ref": "0" * 12, "code": "ABCDEF", "rest": "x", "resource_id": "1"}


def exempt(endpoint: str) -> bool:
    return any(endpoint == key or (key.endswith(".") and endpoint.startswith(key))
               for key in NO_TOKEN_NEEDED)


def state_changing_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every state-changing route, arguments filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{arg}>", SAMPLES.get(arg, "1"), url)
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            found.append((method, url, rule.endpoint))
    return found


def visit_data(app: Flask) -> list[dict]:
    with get_db(app).read() as db:
        return [dict(row.data) for row in db.scalars(select(KioskSession))]


def test_every_state_changing_route_needs_the_token_or_says_why_not(app: Flask) -> None:
    routes = state_changing_routes(app)
    assert len(routes) > 60  # the whole map, not a handful
    assert ("POST", "/devices/card-poll", "devices.card_poll") in routes
    checked = []
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")  # a visit with a cookie, as a forged request would ride
    before = visit_data(app)
    for method, url, endpoint in routes:
        if exempt(endpoint):
            continue
        for client in (kiosk.client, app.test_client()):  # with the visit's cookie, and without
            answer = client.open(url, method=method, data={"since": "0", "journey": "booking"})
            assert answer.status_code == 400, f"{method} {url} answered {answer.status_code}"
            page = answer.get_data(as_text=True)  # the kiosk's CSRF page, or the portals'
            assert "plus valable" in page or "demande n&#39;est pas valable" in page, url
        checked.append(endpoint)
    assert "devices.card_poll" in checked and "visit.end" in checked
    assert visit_data(app) == before  # nothing changed
    # Every exemption names a route that exists, so the list cannot rot.
    endpoints = {endpoint for _m, _u, endpoint in routes}
    for key in NO_TOKEN_NEEDED:
        assert any(e == key or (key.endswith(".") and e.startswith(key)) for e in endpoints), key


def test_the_card_poll_works_with_the_token_the_page_carries(app: Flask) -> None:
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    assert kiosk.soup is not None
    body_headers = kiosk.soup.body["hx-headers"]  # what htmx sends with the poll
    token = re.search(r'"X-CSRFToken":\s*"([^"]+)"', body_headers)
    assert token is not None
    answer = kiosk.client.post("/devices/card-poll", data={"since": "0"},
                               headers={"X-CSRFToken": token.group(1), "HX-Request": "true"})
    assert answer.status_code == 204
