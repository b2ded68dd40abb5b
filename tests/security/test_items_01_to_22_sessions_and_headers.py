"""SECURITY.md "The next person sees nothing" and the headers: items 1, 2, 3, 7, 8, 12, 22.

Items 4 and 5 need a browser: test_items_04_06_browser.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import Kiosk
from visit_support import BOOKING_EN, begin_booking_in_english, cookie, stored_sessions

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.core.records import KioskSession
from kiosk.security.sessions import hash_token

STRICT_CSP = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def concrete_urls(app: Flask) -> list[tuple[str, str]]:
    """(method, url) for every route, with sample values for its arguments."""
    samples = {"name": "vitals", "filename": "kiosk.css", "field": "surname",
               "day": "2026-12-01", "code": "ABCDEF", "kind": "bp", "key": "0" * 64}
    urls = []
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{arg}>", samples.get(arg, "1"), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_item_01_terminer_wipes_the_visit_and_a_replayed_cookie_gets_nothing(
    app: Flask, client: FlaskClient, kiosk: Kiosk
) -> None:
    begin_booking_in_english(kiosk)
    old = cookie(client)
    assert old and stored_sessions(app) == 1

    response = client.post("/visit/end", data={"csrf_token": kiosk.csrf_token()})
    assert response.status_code == 303
    assert response.headers["Location"] == "/?notice=ended"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "kiosk=;" in response.headers["Set-Cookie"]  # deleted in the browser too
    assert stored_sessions(app) == 0

    client.set_cookie("kiosk", old)  # someone replays the previous person's cookie
    replay = Kiosk(client)
    replay.open("/booking/")
    assert replay.question == "Bonjour. Que voulez-vous faire ?"  # welcome, in French again
    assert cookie(client) != old
    assert BOOKING_EN not in replay.text


def test_item_02_an_idle_visit_is_wiped_by_the_server_after_the_warning(
    app: Flask, kiosk: Kiosk
) -> None:
    settings = app.config["KIOSK"]
    limit = settings["idle_seconds"] + settings["warning_seconds"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking_in_english(kiosk)
        clock.shift(timedelta(seconds=limit - 1))
        kiosk.open("/booking/")
        assert kiosk.question == BOOKING_EN  # still there: activity restarts the clock
        clock.shift(timedelta(seconds=limit + 1))
        kiosk.open("/booking/")
    assert kiosk.question == "Bonjour. Que voulez-vous faire ?"
    assert stored_sessions(app) == 0  # the welcome screen keeps no row (item 28)


def test_item_02_no_visit_outlives_the_absolute_limit(app: Flask, kiosk: Kiosk) -> None:
    settings = app.config["KIOSK"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking_in_english(kiosk)
        step = settings["idle_seconds"]
        for _ in range(settings["absolute_seconds"] // step):
            clock.shift(timedelta(seconds=step))
            kiosk.open("/booking/")
        clock.shift(timedelta(seconds=step))
        kiosk.open("/booking/")
    assert kiosk.question == "Bonjour. Que voulez-vous faire ?"


def test_item_07_the_cookie_is_httponly_strict_and_holds_only_a_random_token(
    app: Flask, client: FlaskClient
) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    response = client.post("/start", data={"csrf_token": kiosk.csrf_token(),
                                           "journey": "booking"})  # a visit begins
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Secure" not in header
    token = cookie(client)
    assert token and len(token) >= 40
    with get_db(app).read() as db:
        ids = list(db.scalars(select(KioskSession.id_hash)))
    assert ids == [hash_token(token)]  # the database never holds the cookie itself


def test_item_07_over_tls_the_cookie_is_secure_with_the_host_prefix(settings: dict) -> None:
    from kiosk import create_app

    app = create_app({**settings, "tls": True})
    kiosk = Kiosk(app.test_client())
    kiosk.open("/", base_url="https://127.0.0.1")
    response = kiosk.client.post("/start", base_url="https://127.0.0.1",
                                 headers={"Referer": "https://127.0.0.1/"},
                                 data={"csrf_token": kiosk.csrf_token(), "journey": "booking"})
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-kiosk=") and "Secure" in header and "Path=/" in header
    get_db(app).dispose()



def test_item_03_every_dynamic_response_is_no_store_and_varies_on_htmx(
    app: Flask, client: FlaskClient
) -> None:
    checked = 0
    for method, url in concrete_urls(app):
        if url.startswith("/static/"):
            continue
        response = client.open(url, method=method)
        assert response.headers.get("Cache-Control") == "no-store", f"{method} {url}"
        assert "HX-Request" in response.headers.get("Vary", ""), f"{method} {url}"
        csp = response.headers["Content-Security-Policy"]
        for directive in STRICT_CSP:
            assert directive in csp, f"{method} {url} lacks {directive}"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        checked += 1
    assert checked >= 8


def test_item_08_a_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    client.get("/")
    for url in ("/visit/end", "/visit/language", "/start", "/help", "/visit/extend"):
        assert client.post(url, data={"lang": "en", "journey": "booking"}).status_code == 400, url


def test_item_08_a_wrong_host_header_is_refused(client: FlaskClient) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_item_12_building_the_app_opens_no_connection(settings: dict) -> None:
    # Nothing listens on port 1: a connection attempt at factory time would raise here.
    app = create_app({**settings, "database_url": "postgresql://postgres@127.0.0.1:1/none",
                      "rate_limit_storage": "redis://127.0.0.1:1"})
    assert get_db(app)._engine is None
    assert app.test_client().get("/healthz").status_code == 503
    get_db(app).dispose()


def test_item_22_a_crash_shows_a_generic_page_in_french_and_no_detail(settings: dict) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail 253072B07300470")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Un problème est arrivé." in body
    assert "secret detail" not in body and "Traceback" not in body
    get_db(app).dispose()

