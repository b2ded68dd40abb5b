"""Test helpers that read like a person at the kiosk (STYLE.md item 7)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class Kiosk:
    """Drives the kiosk through its HTML as a person would: open a page, tap a visible word.

    Each tap submits the form of the button carrying that word, with the CSRF token the page
    holds, so tests go through the same checks a real screen does.
    """

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.response: TestResponse | None = None
        self.soup: BeautifulSoup | None = None

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

    def measure_bp(self) -> str:
        """Start the next blood-pressure reading from the rest (or between) screen, then wait
        as the measuring screen does, polling twice a second; returns where it goes next."""
        self.tap("Commencer la mesure" if "Commencer la mesure" in self.text
                 else "Mesurer maintenant")
        headers = {"X-CSRFToken": self.csrf_token(), "HX-Request": "true"}
        answer = wait_until(lambda: (r := self.client.post("/vitals/live", headers=headers))
                            .headers.get("HX-Redirect") and r)
        return str(answer.headers["HX-Redirect"])


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``predicate`` until it gives something true, and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
