"""Test helpers that read like a person at the kiosk (STYLE.md item 7)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk.speech import recognition
from voice.recognizer import Heard

if TYPE_CHECKING:
    from devices_support import CardSlot

    from peripherals.sim import CardSimulator

MONDAY_9AM_PARIS = "2026-11-30 08:00 +0000"  # the standing clock of tests/conftest.py ``clock``


class Kiosk:
    """Drives the kiosk through its HTML as a person would: open a page, tap a visible word.

    Each tap submits the form of the button carrying that word, with the CSRF token the page
    holds, so tests go through the same checks a real screen does. A kiosk built with the
    ``card_slot`` fixture takes a Carte Vitale (``insert_card``); ``say`` speaks to the screen
    through the listening endpoints, as listen.js does; ``measure_bp`` waits on the cuff.
    """

    def __init__(self, client: FlaskClient, card_slot: CardSlot | None = None) -> None:
        self.client = client
        self.card_slot = card_slot
        self.response: TestResponse | None = None
        self.soup: BeautifulSoup | None = None
        self.partials: list[str] = []  # the words shown while the last say() or speak() spoke

    def open(self, path: str, **kwargs: Any) -> TestResponse:
        """GET ``path`` and follow redirects."""
        return self._keep(self.client.get(path, follow_redirects=True, **kwargs))

    def _keep(self, response: TestResponse) -> TestResponse:
        self.response = response
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        return response

    @property
    def question(self) -> str:
        """The text of the page's one h1."""
        assert self.soup is not None
        h1s = self.soup.find_all("h1")
        assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
        return " ".join(h1s[0].get_text().split())

    @property
    def text(self) -> str:
        """All visible text of the page, whitespace collapsed."""
        assert self.soup is not None
        return " ".join(self.soup.get_text(" ").split())

    @property
    def buttons(self) -> list[str]:
        """The words of the page's buttons, in order."""
        assert self.soup is not None
        return [" ".join(b.get_text().split()) for b in self.soup.find_all("button")]

    def tap(self, word: str) -> TestResponse:
        """Press the button or link whose visible text is ``word``."""
        assert self.soup is not None
        for element in self.soup.find_all(["button", "a"]):
            if " ".join(element.get_text().split()) != word:
                continue
            if element.name == "a":
                return self.open(element["href"])
            form = element.find_parent("form")
            assert form is not None, f"button {word!r} is outside any form"
            data = {
                i["name"]: i.get("value", "")
                for i in form.find_all("input")
                if i.get("name") and i.get("type") != "submit"
            }
            if element.get("name"):
                data[element["name"]] = element.get("value", "")
            action = element.get("formaction") or form.get("action") or self.client_path()
            return self._keep(self.client.post(action, data=data, follow_redirects=True))
        raise AssertionError(f"no button or link {word!r} on {self.question!r}")

    def client_path(self) -> str:
        assert self.response is not None and self.response.request is not None
        return self.response.request.path

    def csrf_token(self) -> str:
        """The token the current page holds."""
        assert self.soup is not None
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, "no CSRF token on this page"
        return str(field["value"])

    def type(self, word: str) -> None:
        """Type ``word`` on the screen's keys, letter by letter ("Espace" for a space)."""
        for letter in word:
            self.tap("Espace" if letter == " " else letter)

    def type_who_i_am(self, surname: str = "DURAND", first_name: str = "JEANNE",
                      born: tuple[str, str, str] = ("15", "mars", "1941")) -> None:
        """From the welcome screen into the booking without a card: the names and the date of
        birth typed, up to the social security number (the booking journey test checks
        each of these screens)."""
        self.open("/")
        self.tap("Prendre rendez-vous")
        self.tap("Je n'ai pas de carte")
        for name in (surname, first_name):
            self.type(name)
            self.tap("Valider")
        day, month, year = born
        self.tap(day)
        self.tap(month)
        self.type(year)
        self.tap("Valider")
        assert self.question == "Quel est votre numéro de sécurité sociale ?", self.question

    def insert_card(self, scenario: str = "normal") -> CardSimulator:
        """On a screen asking for the Carte Vitale: put the card (a peripherals.sim card
        scenario) in the slot, wait until the reader feels it, and tap « Lire ma carte ».
        Returns the card, which ``remove()`` takes out."""
        assert self.card_slot is not None, "no card slot: build Kiosk(client, card_slot)"
        assert "Lire ma carte" in self.buttons, f"no « Lire ma carte » on {self.question!r}"
        card = self.card_slot.put_in(scenario)
        devices = self.app.extensions["kiosk_devices"]
        wait_until(devices.card_present)
        self.tap("Lire ma carte")
        return card

    @property
    def app(self) -> Flask:
        return self.client.application

    def say(self, words: str, choices: list[dict[str, Any]] | None = None,
            **extra: Any) -> dict[str, Any]:
        """Say ``words`` to the screen: the kiosk's ears (``Ears``, put in by ``give_ears``)
        hear them, and the answer is what the kiosk tells listen.js to do ({"do": ...})."""
        ears = recognition.recognition(self.app).store
        assert isinstance(ears, Ears), "say() needs the stand-in ears: give_ears(app) first"
        ears.text = words
        return self.speak(b"\0\0" * 1600, choices, **extra)

    def speak(self, audio: bytes, choices: list[dict[str, Any]] | None = None,
              **extra: Any) -> dict[str, Any]:
        """Speak ``audio`` (16 kHz mono 16-bit PCM) as listen.js sends it: open a listening
        for the screen's ``choices`` (by default those on the page, as listen.js reads them),
        send the sound in 0.1 s chunks (``partials`` keeps the words shown meanwhile), end
        it, and return the kiosk's answer."""
        body = {**(self.voice_choices() if choices is None else {"choices": choices}), **extra}
        opened = self.client.post("/voice/listen", json=body, headers=self._json_headers())
        assert opened.status_code == 200, opened.get_data(as_text=True)
        key = opened.json["id"]  # type: ignore[index]
        self.partials = []
        sound = {**self._json_headers(), "Content-Type": "application/octet-stream"}
        for offset in range(0, len(audio), CHUNK):
            sent = self.client.post(f"/voice/listen/{key}/audio",
                                    data=audio[offset:offset + CHUNK], headers=sound)
            assert sent.status_code == 200, sent.get_data(as_text=True)
            self.partials.append(sent.json["partial"])  # type: ignore[index]
        ended = self.client.post(f"/voice/listen/{key}/end", headers=self._json_headers())
        assert ended.status_code == 200, ended.get_data(as_text=True)
        return dict(ended.json)  # type: ignore[arg-type]

    def voice_choices(self) -> dict[str, Any]:
        """What listen.js sends for this screen: its answers (the buttons and links of main,
        keys excepted, in screen order) with what each posts, and whether it has keys or a
        date field."""
        assert self.soup is not None
        main = self.soup.find("main")
        assert main is not None, "no main on this page"
        choices = []
        for element in main.find_all(["button", "a"]):
            label = " ".join(element.get_text(" ").split())
            if (element.find_parent(class_="keys") or element.has_attr("disabled")
                    or element.has_attr("hidden") or not label
                    or (element.name == "a" and not element.get("href"))):
                continue
            choices.append({"label": label, "confirm": element.has_attr("data-voice-confirm"),
                            "name": element.get("name", ""),
                            "value": element.get("value", "") if element.name == "button" else "",
                            "sex": element.get("data-voice-sex", "")})
        return {"choices": choices, "code": main.select_one(".keys") is not None,
                "date": main.select_one("[data-voice-date]") is not None}

    def _json_headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.csrf_token(), "Content-Type": "application/json"}

    def get_ready_for_bp(self) -> None:
        """From the welcome screen, through the guidance, to the rest before the first
        reading (tests/integration/test_vitals.py checks each of its screens)."""
        self.open("/")
        self.tap("Mesurer ma tension")
        self.tap("Commencer")
        for _ in range(3):
            self.tap("C'est fait")
        assert self.question == "Reposez-vous un moment."

    def measure_bp(self) -> str:
        """Start the next blood-pressure reading from the rest (or between) screen, then wait
        as the measuring screen does, polling twice a second; returns where it goes next."""
        self.tap("Commencer la mesure" if "Commencer la mesure" in self.text
                 else "Mesurer maintenant")
        headers = {"X-CSRFToken": self.csrf_token(), "HX-Request": "true"}
        answer = wait_until(lambda: (r := self.client.post("/vitals/live", headers=headers))
                            .headers.get("HX-Redirect") and r)
        return str(answer.headers["HX-Redirect"])


CHUNK = 3200  # 0.1 s of 16 kHz 16-bit PCM, as listen.js sends it


class Hearing:
    """One question heard by ``Ears``: the sentence, whatever the sound."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.phrase_ended = False

    def feed(self, pcm: bytes) -> str:
        self.phrase_ended = True
        return self.text

    def finish(self) -> Heard:
        return Heard(tuple(self.text.split()), ())

    def close(self) -> None:
        pass


class Ears:
    """A stand-in speech engine that hears the sentence ``text`` (``Kiosk.say`` sets it), so
    the words a screen understands are tested on text. The real vosk engine is tested in
    tests/integration/test_listen.py and tests/voice."""

    def __init__(self, text: str = "", languages: tuple[str, ...] = ("fr",)) -> None:
        self.text = text
        self.languages = languages
        self.steps: list[Any] = []  # the grammar of each listening, in order

    def missing_words(self, grammar: Any) -> tuple[str, ...]:
        return ()

    def listen(self, grammar: Any) -> Hearing:
        self.steps.append(grammar)
        return Hearing(self.text)


def give_ears(app: Flask, ears: Ears | None = None) -> Ears:
    """Let ``app`` hear through ``ears`` (new ones by default) instead of its speech model;
    the app still needs a model folder for its language, so that it offers to listen."""
    ears = ears or Ears()
    recognition.recognition(app).store = ears  # type: ignore[assignment]
    return ears


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``predicate`` until it gives something true, and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
