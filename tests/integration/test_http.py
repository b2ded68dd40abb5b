"""htmx partials, the persistent controls, plain error pages and /healthz.

(Headers, CSRF, trusted hosts and the crash page are SECURITY.md items: tests/security.)
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from support import Kiosk

from kiosk import create_app
from kiosk.core.db import get_db


def test_a_stale_page_sends_the_person_home_with_a_plain_sentence(client: FlaskClient) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")  # a visit begins: its pages carry the visit's token
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
    from kiosk.visit.screens import render_screen

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


def test_a_control_comes_back_to_the_screen_the_visit_is_on(kiosk: Kiosk) -> None:
    """ACCESSIBILITY.md item 28: htmx swaps screens in without reloading the toolbar, so the
    "next" its forms carry is the page first loaded. The visit's own screen wins; what chooses
    the screen (?what=) is kept, "?listen=1" (private words said aloud) is not."""
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")  # a visit begins
    kiosk.open("/vitals/problem?what=loose_cuff&listen=1")
    shown = kiosk.question
    for action, data in (("/visit/text-size", {}), ("/visit/volume", {"direction": "up"}),
                         ("/visit/language", {"lang": "en"})):
        answer = kiosk.client.post(action, data={"csrf_token": kiosk.csrf_token(),
                                                 "next": "/vitals/", **data})
        assert answer.status_code == 303
        assert answer.headers["Location"] == "/vitals/problem?what=loose_cuff", action
    kiosk.open("/vitals/problem?what=loose_cuff")
    assert kiosk.question != shown and kiosk.soup.find("html")["lang"] == "en"  # same screen


def test_before_a_visit_a_control_goes_back_to_a_local_page_only(client: FlaskClient) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    for target, expected in (("/", "/"), ("//evil.example/x", "/"), ("https://evil.example", "/"),
                             ("/\\evil.example", "/")):
        answer = client.post("/visit/text-size", data={"csrf_token": kiosk.csrf_token(),
                                                       "next": target})
        assert answer.headers["Location"] == expected, target
