"""SECURITY.md item 27 (issue 15 item 5): spoken private screens (names, codes, results) stay in
memory, never under data_dir, and go with the visit: at its end, and when the purge ends a
visit left behind. Speech is on: the real espeak-ng worker renders them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from support import Kiosk

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.security.purge import purge
from kiosk.security.sessions import interface
from kiosk.speech import rendering as speech


@pytest.fixture
def speaking_app(settings: dict) -> Iterator[Flask]:
    app = create_app({**settings, "speech_enabled": True})
    speech.start(app)
    assert speech.service(app) is not None, "espeak-ng did not start"
    yield app
    speech.stop(app)
    get_db(app).dispose()


def every_file(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def hear_my_name(kiosk: Kiosk) -> tuple[str, bytes]:
    """Type a surname and ask the screen to say it: the private speech's URL and its sound."""
    kiosk.open("/")
    for word in ("Prendre rendez-vous", "Je n'ai pas de carte", "D", "U", "R"):
        kiosk.tap(word)
    kiosk.open("/booking/you/surname?listen=1")
    assert kiosk.soup is not None
    source = str(kiosk.soup.select_one("audio#speech")["data-src"])
    answer = kiosk.client.get(source)
    assert answer.status_code == 200 and answer.mimetype == "audio/wav"
    assert answer.get_data()[:4] == b"RIFF" and len(answer.get_data()) > 1000
    return source, answer.get_data()


def test_a_private_screens_speech_is_never_under_data_dir_and_goes_at_visit_end(
    speaking_app: Flask,
) -> None:
    data_dir = Path(speaking_app.config["KIOSK"]["data_dir"])
    kiosk = Kiosk(speaking_app.test_client())
    source, sound = hear_my_name(kiosk)
    key = source.removeprefix("/speech/").removesuffix(".wav")
    files = every_file(data_dir)
    assert not any(key in str(path) for path in files)
    assert not any(sound in body or body == sound for body in files.values())
    assert not (data_dir / "speech" / "private").exists()
    tts = speech.service(speaking_app)
    assert tts is not None and tts.private_dir is not None
    assert data_dir not in tts.private_dir.parents  # the worker's tmpfs folder
    assert list(tts.private_dir.iterdir()) == []  # read into memory, the file already gone
    kiosk.tap("Terminer")
    assert kiosk.client.get(source).status_code == 404


def test_the_purge_forgets_the_speech_of_a_visit_left_behind(speaking_app: Flask) -> None:
    kiosk = Kiosk(speaking_app.test_client())
    source, _sound = hear_my_name(kiosk)
    settings = speaking_app.config["KIOSK"]
    with speaking_app.app_context():
        purge(get_db(speaking_app), settings, datetime.now(UTC) + timedelta(hours=2),
              end_visit=interface(speaking_app).run_end_hooks)
    assert speaking_app.test_client().get(source).status_code == 404
