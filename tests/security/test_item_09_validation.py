"""SECURITY.md item 9 at the screens: bad input gets a plain sentence in the person's language
and the form keeps what was typed; values outside the allow-lists and oversized bodies are
refused. (The property tests of every parser are in test_item_09_entry_parsers.py.)"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from support import Kiosk


def test_item_09_a_wrong_nir_key_is_explained_and_what_was_typed_is_kept(
    seeded: Flask, kiosk: Kiosk
) -> None:
    kiosk.type_who_i_am()
    kiosk.type("241037510804205")  # last digit wrong
    kiosk.tap("Valider")
    assert kiosk.question == "Quel est votre numéro de sécurité sociale ?"
    assert "Ce numéro n'est pas juste. Vérifiez les 2 derniers chiffres." in kiosk.text
    assert kiosk.soup.select_one("output.typed").get_text(strip=True) == "241037510804205"
    kiosk.tap("Effacer")
    kiosk.tap("4")
    kiosk.tap("Valider")
    assert kiosk.question == "Quel est votre numéro de téléphone ?"


def test_item_09_values_outside_the_allow_lists_are_refused_with_a_plain_page(
    client: FlaskClient,
) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    token = kiosk.csrf_token()
    for url, data in (("/start", {"journey": "../../admin"}),
                      ("/visit/language", {"lang": "xx"}),
                      ("/visit/volume", {"direction": "max"})):
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 400, url
        kiosk._keep(response)
        assert kiosk.question == "Cette demande n'est pas valable."


def test_item_09_an_oversized_body_is_refused_in_plain_words(client: FlaskClient) -> None:
    kiosk = Kiosk(client)
    kiosk.open("/")
    response = client.post("/start", data={"csrf_token": kiosk.csrf_token(),
                                           "journey": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    kiosk._keep(response)
    assert kiosk.question == "Ce que vous avez envoyé est trop gros."
