"""SECURITY.md item 28 (issue 15 item 8): anonymous requests cost nothing. A page seen with no
visit writes no session row; its CSRF token is signed (itsdangerous, the app's secret) and
time-limited, and the first state-changing request that brings it begins the visit's row."""

from __future__ import annotations

import time_machine
from flask import Flask
from sqlalchemy import func, select
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.core.records import KioskSession
from kiosk.security.headers import STATELESS_TOKEN_SECONDS

FLOOD = 500


def session_rows(app: Flask) -> int:
    with get_db(app).read() as db:
        return int(db.scalar(select(func.count()).select_from(KioskSession)) or 0)


def public_pages(app: Flask) -> list[str]:
    """Every page a GET without arguments reaches (the FHIR API and /healthz included)."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in (rule.methods or ()) and not rule.arguments})


def test_a_flood_of_cookie_less_requests_leaves_the_session_table_as_it_was(app: Flask) -> None:
    pages = public_pages(app)
    assert "/" in pages and "/booking/" in pages and len(pages) > 20
    before = session_rows(app)
    with_token = set()
    for number in range(FLOOD):
        page = pages[number % len(pages)]
        response = app.test_client().get(page)  # a new client: no cookie, ever
        assert "Set-Cookie" not in response.headers, page
        if response.status_code == 200 and 'name="csrf_token"' in response.get_data(as_text=True):
            with_token.add(page)
    # Real pages were served with their CSRF token, the welcome and the portals' sign-in.
    assert {"/", "/doctor/login", "/staff/login"} <= with_token
    assert session_rows(app) == before


def test_the_first_post_with_the_welcome_pages_signed_token_begins_the_visit(app: Flask) -> None:
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    assert kiosk.response is not None and "Set-Cookie" not in kiosk.response.headers
    assert session_rows(app) == 0
    kiosk.tap("Prendre rendez-vous")
    assert kiosk.question == "Une consultation avec un médecin"
    assert session_rows(app) == 1
    # The visit goes on with the token its pages now carry.
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"
    assert session_rows(app) == 1


def test_the_welcome_pages_token_stays_good_for_the_visit_it_began(app: Flask) -> None:
    """htmx swaps the screen, not <body>: its hx-headers keep the welcome page's token."""
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    token = kiosk.csrf_token()
    for size in ("2", "3"):
        answer = kiosk.client.post("/visit/text-size", data={"csrf_token": token, "size": size,
                                                              "next": "/"})
        assert answer.status_code in (200, 303), answer.status_code
    assert session_rows(app) == 1
    other = Kiosk(app.test_client())
    other.open("/")
    # Another visit's welcome token does not pass for this visit.
    refused = kiosk.client.post("/visit/text-size", data={"csrf_token": other.csrf_token(),
                                                          "next": "/"})
    assert refused.status_code == 400


def test_a_forged_or_expired_signed_token_begins_nothing(app: Flask) -> None:
    with time_machine.travel("2026-11-30 08:00 +0000", tick=False) as clock:
        kiosk = Kiosk(app.test_client())
        kiosk.open("/")
        token = kiosk.csrf_token()
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        refused = app.test_client().post("/start", data={"csrf_token": forged})
        assert refused.status_code == 400 and session_rows(app) == 0
        clock.shift(STATELESS_TOKEN_SECONDS + 60)
        late = app.test_client().post("/start", data={"csrf_token": token})
        assert late.status_code == 400 and session_rows(app) == 0
