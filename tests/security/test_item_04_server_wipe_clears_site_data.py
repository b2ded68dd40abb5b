"""SECURITY.md item 4, for a wipe the server decides (issue 15 item 7): when the idle or the
absolute limit has passed, the next answer tells the browser to forget the visit too, with
``Clear-Site-Data: "cache", "cookies", "storage"``, as the Terminer button does."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask
from support import Kiosk

CLEAR = '"cache", "cookies", "storage"'


def begin_booking(kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    assert kiosk.question == "Une consultation avec un médecin"


def test_an_idle_visit_wiped_by_the_server_clears_the_browser(app: Flask, kiosk: Kiosk) -> None:
    settings = app.config["KIOSK"]
    limit = settings["idle_seconds"] + settings["warning_seconds"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking(kiosk)
        clock.shift(timedelta(seconds=limit - 1))
        still = kiosk.client.get("/booking/")
        assert still.status_code == 200 and "Clear-Site-Data" not in still.headers
        clock.shift(timedelta(seconds=limit + 1))
        wiped = kiosk.client.get("/booking/")
        assert wiped.headers.get("Clear-Site-Data") == CLEAR
        # Once forgotten, the next pages say nothing more about it.
        after = kiosk.client.get("/")
        assert "Clear-Site-Data" not in after.headers


def test_a_visit_past_the_absolute_limit_clears_the_browser(app: Flask, kiosk: Kiosk) -> None:
    settings = app.config["KIOSK"]
    step = settings["idle_seconds"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking(kiosk)
        answers = []
        for _ in range(settings["absolute_seconds"] // step + 1):
            clock.shift(timedelta(seconds=step))
            answers.append(kiosk.client.get("/booking/"))
    assert all("Clear-Site-Data" not in a.headers for a in answers[:-1])
    assert answers[-1].headers.get("Clear-Site-Data") == CLEAR


def test_the_card_poll_of_a_wiped_visit_clears_the_browser_too(app: Flask, kiosk: Kiosk) -> None:
    """The poll runs every second on every screen: it is often the first to meet the wipe."""
    settings = app.config["KIOSK"]
    limit = settings["idle_seconds"] + settings["warning_seconds"]
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False) as clock:
        begin_booking(kiosk)
        token = kiosk.csrf_token()
        clock.shift(timedelta(seconds=limit + 1))
        poll = kiosk.client.post("/devices/card-poll", headers={"X-CSRFToken": token,
                                                                "HX-Request": "true"})
    assert poll.headers.get("Clear-Site-Data") == CLEAR
