"""The visit's state has one owner, kiosk/visit/state.py, and splits into plain and personal."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, session

from kiosk.visit import state

ROOT = Path(__file__).resolve().parents[2]
OWNERS = {"kiosk/visit/state.py", "kiosk/security/sessions.py"}
VISIT_KEYS = sorted({*state.Visit.PLAIN, "help_from", "booking", "vitals", "consult",
                     *state.APPOINTMENT_KEYS.values()})
# session["journey"], session.get("booking"), visit.pop("assist"), data.get("screen")...
KEYS = "|".join(VISIT_KEYS)
RAW = re.compile(r"""(\[|\.get\(|\.pop\(|\.setdefault\()\s*["'](""" + KEYS + r""")["']""")


def _app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "test"
    return app


def test_no_module_but_the_owner_touches_the_visits_keys() -> None:
    found = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in OWNERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = RAW.search(line)
            # request.form.get("lang") is the form, and an area's own dict named state (the
            # consultation's state["vitals"]) is inside the visit, not the session's keys
            if match and not re.search(r"(form|args|settings|config|headers|\bstate)\S*$",
                                       line[: match.start()]):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "raw visit keys outside kiosk/visit/state.py:\n" + "\n".join(found)


def test_the_grep_sees_a_raw_key() -> None:
    assert RAW.search('    session["journey"] = "booking"')
    assert RAW.search("    helper = visit.get('assist')")


def test_changing_saves_what_changed_and_forgets_what_is_set_to_none() -> None:
    with _app().test_request_context("/"):
        session["lang"] = "en"
        with state.changing() as visit:
            visit.journey = "vitals"
            visit.appointment.code = "K7MX2P"
            visit.lang = None
        assert session["journey"] == "vitals"
        assert session["appointment_code"] == "K7MX2P"
        assert "lang" not in session
        state.update_appointment(code=None)
        assert "appointment_code" not in session


def test_a_loaded_copy_changes_nothing_until_saved() -> None:
    with _app().test_request_context("/"):
        state.update(vitals={"readings": [[120, 80, 70]], "failures": 0})
        copy = state.load()
        assert copy.vitals is not None
        copy.vitals["readings"].append([130, 85, 72])
        copy.journey = "booking"
        assert session["vitals"]["readings"] == [[120, 80, 70]]
        assert "journey" not in session


def test_plain_holds_nothing_personal_and_personal_holds_the_rest() -> None:
    with _app().test_request_context("/"):
        state.update(journey="booking", lang="fr", text_size=2, help_from="/booking/",
                     booking={"identity": {"surname": "Martin", "nir": "sealed"}},
                     vitals={"readings": [[150, 95, 80]]})
        state.update_appointment(code="K7MX2P")
        visit = state.load()
    plain, personal = visit.plain(), visit.personal()
    assert plain["journey"] == "booking" and plain["text_size"] == 2
    assert "Martin" not in repr(plain) and "K7MX2P" not in repr(plain)
    assert "150" not in repr(plain)
    assert personal["booking"]["identity"]["surname"] == "Martin"
    assert personal["vitals"] == {"readings": [[150, 95, 80]]}
    assert personal["appointment_code"] == "K7MX2P"
    assert set(plain).isdisjoint(personal)
    assert visit.to_dict() == {**plain, **personal}


def test_another_visits_stored_data_is_read_and_changed_in_place() -> None:
    stored = {"journey": "booking", "screen": "/booking/", "assist": {"name": "Sophie"}}
    assert state.load(stored).screen == "/booking/"
    state.forget_helper(stored)
    assert stored == {"journey": "booking", "screen": "/booking/"}
