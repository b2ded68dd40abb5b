"""Headers on every response, CSRF, trusted hosts, htmx partials, errors and /healthz."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from support import Kiosk

from kiosk import create_app
from kiosk.db import get_db

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


def test_every_dynamic_response_is_no_store_and_varies_on_htmx(
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


def test_a_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    client.get("/")
    for url in ("/visit/end", "/visit/language", "/start", "/help", "/visit/extend"):
        assert client.post(url, data={"lang": "en", "journey": "booking"}).status_code == 400, url


def test_a_wrong_host_header_is_refused(client: FlaskClient) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_a_stale_page_sends_the_person_home_with_a_plain_sentence(client: FlaskClient) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    token = kiosk.csrf_token()
    client.delete_cookie("kiosk")  # as after a wipe in another tab
    response = client.post(
        "/start",
        data={"csrf_token": token, "journey": "booking"},
        headers={"Sec-Fetch-Mode": "navigate"},
        follow_redirects=True,
    )
    page = Kiosk(client)
    page._keep(response)
    assert page.question == "Bonjour. Que voulez-vous faire ?"
    assert "Cette page n'était plus valable. Vous pouvez recommencer." in page.text


def test_htmx_gets_the_screen_alone_and_a_history_restore_gets_the_page(
    client: FlaskClient,
) -> None:
    partial = client.get("/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "<h1" in partial
    assert 'hx-swap-oob="true"' in partial  # the status line travels out of band
    restore = client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_the_layout_carries_every_persistent_control(kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    words = {" ".join(b.get_text().split()) for b in kiosk.soup.find_all(["button", "a"])}
    for control in (
        "Retour",
        "Aide",
        "Terminer",
        "Français",
        "English",
        "Texte plus grand",
        "Moins fort",
        "Plus fort",
        "Réécouter",
        "Stop",
    ):
        assert control in words, control
    assert kiosk.soup.find(attrs={"role": "status"}) is not None
    body = kiosk.soup.body
    assert body["hx-history"] == "false"
    assert (
        '"historyCacheSize": 0' in kiosk.soup.find("meta", attrs={"name": "htmx-config"})["content"]
    )
    assert "X-CSRFToken" in body["hx-headers"]


def test_step_counter_is_written_as_text(app: Flask) -> None:
    from kiosk.screens import render_screen

    with app.test_request_context("/"):
        html = render_screen("welcome/help.html", step=2, total=4, back="/")
    assert "Étape 2 sur 4" in html


def test_languages_are_named_in_themselves_and_marked(kiosk: Kiosk) -> None:
    kiosk.open("/")
    assert kiosk.soup.html["lang"] == "fr"
    english = kiosk.soup.find("button", attrs={"lang": "en"})
    assert english is not None and english.get_text(strip=True) == "English"
    kiosk.tap("English")
    assert kiosk.soup.html["lang"] == "en"
    assert kiosk.question == "Hello. What do you want to do?"


def test_an_unknown_page_is_a_plain_sentence(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    page = Kiosk(client)
    page._keep(response)
    assert page.question == "Cette page n'existe pas."


def test_a_crash_shows_a_generic_page_and_no_detail(settings: dict) -> None:
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


def test_healthz_reports_each_part(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok" and body["database"]["ok"] is True
    assert set(body["devices"]) == {"bp", "card", "printer", "scanner"}
    assert body["speech"]["in"] == "touch_only"  # no vosk model in the test data folder
    assert "Set-Cookie" not in response.headers  # a probe is not a visit


def test_healthz_is_503_when_the_database_cannot_serve(settings: dict, tmp_path: Path) -> None:
    app = create_app({**settings, "database_url": f"sqlite:///{tmp_path}/missing/dir/kiosk.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == {"ok": False, "state": "unavailable"}
    get_db(app).dispose()


def test_building_the_app_opens_no_connection(settings: dict) -> None:
    # Nothing listens on port 1: a connection attempt at factory time would raise here.
    app = create_app({**settings, "database_url": "postgresql://postgres@127.0.0.1:1/none"})
    assert get_db(app)._engine is None
    assert app.test_client().get("/healthz").status_code == 503
    get_db(app).dispose()
