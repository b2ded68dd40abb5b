"""SECURITY.md item 16: every device error is contained. An unplugged cuff is said plainly and
booking still works, ticket printer or not; a stuck device never holds a web request."""

from __future__ import annotations

import time_machine
from staff_support import book_at_the_kiosk
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.demo.data import seed_demo


def test_item_16_an_unplugged_cuff_is_said_and_the_kiosk_stays_usable(cuff_unit) -> None:
    app, cuff = cuff_unit("unplugged")
    kiosk = Kiosk(app.test_client())
    kiosk.get_ready_for_bp()
    kiosk.open(kiosk.measure_bp())
    assert kiosk.question == "L'appareil de tension ne répond pas."
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")  # the rest of the kiosk still works
    assert kiosk.question == "Une consultation avec un médecin"


def test_item_16_with_the_cuff_unplugged_and_no_printer_booking_still_works(cuff_unit) -> None:
    app, _cuff = cuff_unit("unplugged")
    with time_machine.travel("2026-11-30 08:00 +0000", tick=True):
        seed_demo(get_db(app), "Mairie de Test", "Europe/Paris", 15)
        kiosk = Kiosk(app.test_client())
        assert app.test_client().get("/healthz").json["devices"]["printer"]["state"] in (
            "not_configured", "unavailable")
        book_at_the_kiosk(kiosk)
    assert "L'imprimante ne marche pas." in kiosk.text


def test_item_16_a_cuff_that_stops_answering_mid_measure_is_said_and_nothing_is_lost(
    cuff_unit,
) -> None:
    """The promised stuck-device test (issue 15 item 12): the first reading is taken, then the
    cuff on its pty goes silent in the middle of the second. Every poll still answers at once,
    the screen says so in a plain sentence, and the first reading is still there."""
    import time

    app, cuff = cuff_unit(deadline=30)  # the shortest the settings allow
    kiosk = Kiosk(app.test_client())
    kiosk.get_ready_for_bp()
    assert kiosk.measure_bp() == "/vitals/between"
    kiosk.open("/vitals/between")
    assert kiosk.question == "Première mesure faite."
    kiosk.tap("Mesurer maintenant")
    cuff.device.scenario = "silent"  # from now on the cuff answers nothing
    headers = {"X-CSRFToken": kiosk.csrf_token(), "HX-Request": "true"}
    slowest, where = 0.0, None
    deadline = time.monotonic() + 75
    while where is None and time.monotonic() < deadline:
        started = time.monotonic()
        answer = kiosk.client.post("/vitals/live", headers=headers)
        slowest = max(slowest, time.monotonic() - started)
        where = answer.headers.get("HX-Redirect")
        time.sleep(0.1)
    assert where is not None, "the screen never left the measurement"
    assert slowest < 2.0  # a stuck device never holds a web request
    kiosk.open(where)
    assert kiosk.question in ("L'appareil de tension ne répond pas.",
                              "La mesure n'a pas marché."), kiosk.question
    kiosk.open("/vitals/between")  # nothing lost: the first reading is still the visit's
    assert kiosk.question == "Première mesure faite.", kiosk.question
