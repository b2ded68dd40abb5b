"""SECURITY.md item 11: rate limits on sign-in and booking, keyed by the account or the kiosk
visit (every request of a kiosk comes from 127.0.0.1), shared across workers through Redis."""

from __future__ import annotations

import html
import uuid
from typing import Any

import pytest
from flask import Flask
from staff_support import Portal

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.demo.data import seed_demo

LIMITED = "Trop d'essais en peu de temps. Attendez quelques minutes, puis recommencez."
REDIS = "redis://127.0.0.1:6379"


def attempts(portal: Portal, username: str, count: int) -> list[int]:
    return [portal.sign_in(username, "wrong password").status_code for _ in range(count)]


@pytest.mark.parametrize(("prefix", "username"), [("/staff", "sophie"),
                                                  ("/doctor", "dr.martin")])
def test_item_11_sign_in_is_limited_per_account_with_a_plain_sentence(
    seeded: Flask, prefix: str, username: str
) -> None:
    portal = Portal(seeded.test_client(), prefix)
    assert attempts(portal, username, 10) == [401] * 10
    assert portal.sign_in(username, "wrong password").status_code == 429
    assert LIMITED in portal.text
    # Another browser gets the same answer for this account: the key is the account...
    assert Portal(seeded.test_client(), prefix).sign_in(username, "x").status_code == 429
    # ... and another account is not held up by it.
    assert Portal(seeded.test_client(), prefix).sign_in("someone", "x").status_code == 401


def test_item_11_successful_sign_ins_do_not_count(seeded: Flask) -> None:
    portal = Portal(seeded.test_client())
    for _ in range(12):  # a busy morning at the desk: signing in and out
        assert portal.sign_in().status_code == 200 and "La borne en direct" in portal.text
        portal.post("/staff/logout")
    assert attempts(portal, "sophie", 4) == [401] * 4  # failures still count from zero


def test_item_11_booking_is_limited_per_kiosk_visit(seeded: Flask) -> None:
    def confirm(client: Any) -> int:
        client.get("/")
        client.post("/start", data={"journey": "booking"}, headers={"X-CSRFToken": token(client)})
        return client.post("/booking/confirm", data={"key": "x"},
                           headers={"X-CSRFToken": token(client)}).status_code

    def token(client: Any) -> str:
        page = client.get("/").get_data(as_text=True)
        return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    visit = seeded.test_client()
    assert [confirm(visit) for _ in range(10)] == [303] * 10
    assert confirm(visit) == 429
    limited = visit.post("/booking/confirm", data={"key": "x"},
                         headers={"X-CSRFToken": token(visit)})
    assert LIMITED in html.unescape(limited.get_data(as_text=True))
    assert confirm(seeded.test_client()) == 303  # the next visit is not held up


def two_workers(settings: dict[str, Any], storage: str) -> tuple[Flask, Flask]:
    """Two apps, as two gunicorn workers would build them, on one database."""
    prefix = uuid.uuid4().hex  # this test's own counters in the shared Redis
    config = {**settings, "rate_limit_storage": storage, "RATELIMIT_KEY_PREFIX": prefix}
    first, second = create_app(config), create_app(config)
    seed_demo(get_db(first), "Mairie de Test", "Europe/Paris", 15)
    return first, second


def test_item_11_workers_share_the_counters_in_redis(settings: dict[str, Any]) -> None:
    first, second = two_workers(settings, REDIS)
    try:
        assert attempts(Portal(first.test_client()), "sophie", 6) == [401] * 6
        assert attempts(Portal(second.test_client()), "sophie", 4) == [401] * 4
        assert Portal(second.test_client()).sign_in("sophie", "x").status_code == 429
        assert Portal(first.test_client()).sign_in("sophie", "x").status_code == 429
    finally:
        get_db(first).dispose()
        get_db(second).dispose()


def test_item_11_memory_storage_is_per_worker_which_is_why_servers_use_redis(
    settings: dict[str, Any],
) -> None:
    first, second = two_workers(settings, "memory://")
    try:
        assert attempts(Portal(first.test_client()), "sophie", 10) == [401] * 10
        assert Portal(second.test_client()).sign_in("sophie", "x").status_code == 401
    finally:
        get_db(first).dispose()
        get_db(second).dispose()
