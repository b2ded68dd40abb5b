"""SECURITY.md item 20: voice is processed in memory only. Run the voice flow through the
kiosk's endpoints and check that no file appears, that the words heard reach neither the logs
nor the database, and that an open listening goes with the visit.

The recognizer is stood in for (it "hears" a sentence), so this runs in a second; the same
checks with the real vosk engine are in tests/integration/test_listen.py and
tests/voice/test_recognizer_ko.py."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from support import Ears, Kiosk, give_ears

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.speech import listening as listen
from kiosk.speech import recognition

HEARD = "je suis jeanne durand deux quatre un zéro trois"
CHOICES = [{"label": "Prendre rendez-vous"}, {"label": "Mesurer ma tension"}]


@pytest.fixture
def voice_app(settings: dict[str, Any], tmp_path: Path, ko_model_path: Path) -> Iterator[Flask]:
    folder = tmp_path / "models"
    folder.mkdir()
    # Any valid model folder: the engine itself is stood in for.
    (folder / "fr").symlink_to(ko_model_path)
    app = create_app({**settings, "model_dir": str(folder), "speech_enabled": False})
    give_ears(app, Ears(HEARD))
    yield app
    get_db(app).dispose()


def start_speaking(kiosk: Kiosk) -> str:
    """Open a listening and send some sound, but not its end: the person is still speaking."""
    headers = {"X-CSRFToken": kiosk.csrf_token()}
    started = kiosk.client.post("/voice/listen", json={"choices": CHOICES}, headers=headers)
    assert started.status_code == 200, started.get_data(as_text=True)
    key = started.json["id"]
    sent = kiosk.client.post(f"/voice/listen/{key}/audio", data=b"\1\0" * 1600,
                             headers={**headers, "Content-Type": "application/octet-stream"})
    assert sent.status_code == 200 and sent.json["partial"] == HEARD  # shown while speaking
    return str(key)


def test_item_20_no_audio_or_words_on_disk_or_in_the_logs(
    voice_app: Flask, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def files() -> set[Path]:
        return {Path(root) / name for root, _dirs, names in os.walk(tmp_path)
                for name in names if not name.startswith("kiosk.db")}

    kiosk = Kiosk(voice_app.test_client())
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    before = files()
    with caplog.at_level(logging.DEBUG):
        kiosk.say(HEARD, CHOICES)
    assert kiosk.partials == [HEARD]  # it was heard, and shown while speaking
    assert files() == before
    assert "jeanne" not in caplog.text.lower() and "durand" not in caplog.text.lower()
    data_dir = Path(voice_app.config["KIOSK"]["data_dir"])
    stored = b"".join(p.read_bytes() for p in data_dir.glob("kiosk.db*"))
    assert b"jeanne" not in stored and b"durand" not in stored


def test_item_20_what_was_heard_goes_with_the_visit(voice_app: Flask) -> None:
    kiosk = Kiosk(voice_app.test_client())
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    key = start_speaking(kiosk)  # the person is still speaking...
    assert key in recognition.recognition(voice_app).listenings
    kiosk.tap("Terminer")  # ...when the visit ends
    assert key not in recognition.recognition(voice_app).listenings


def test_item_20_a_listening_opened_before_the_visit_had_a_cookie_goes_with_the_visit(
    voice_app: Flask,
) -> None:
    voice_app.config["WTF_CSRF_ENABLED"] = False  # the only way to reach it without a cookie
    kiosk = Kiosk(voice_app.test_client())
    started = kiosk.client.post("/voice/listen", json={"choices": CHOICES})
    assert started.status_code == 200 and kiosk.client.get_cookie("kiosk") is not None
    key = started.json["id"]
    # The visit it opened is the one it belongs to, from the next request on...
    sent = kiosk.client.post(f"/voice/listen/{key}/audio", data=b"\1\0" * 1600,
                             headers={"Content-Type": "application/octet-stream"})
    assert sent.status_code == 200 and sent.json["partial"] == HEARD
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.tap("Terminer")  # ...and it goes when that visit ends
    assert key not in recognition.recognition(voice_app).listenings


def test_item_20_a_listening_a_browser_forgot_goes_when_any_visit_ends(voice_app: Flask) -> None:
    forgetful = Kiosk(voice_app.test_client())
    forgetful.open("/")
    forgetful.tap("Prendre rendez-vous")
    key = start_speaking(forgetful)
    listenings = recognition.recognition(voice_app).listenings
    listenings[key].started -= listen.STALE_SECONDS + 1  # its browser never came back
    other = Kiosk(voice_app.test_client())
    other.open("/")
    other.tap("Prendre rendez-vous")
    assert key in listenings
    other.tap("Terminer")
    assert key not in listenings
