"""The visit's state has one owner, kiosk/visit/state.py, and splits into plain and personal."""

from __future__ import annotations

import copy
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


# {% if session.get("consult") %}: a template that reads the visit's keys itself.
IN_TEMPLATE = re.compile(r"""session(\.get\(|\[)\s*["'](""" + KEYS + r""")["']""")


def test_no_template_reads_the_visits_keys() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "templates").rglob("*.html"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if IN_TEMPLATE.search(line)]
    assert found == [], "templates reading visit keys (pass them from the view):\n" + \
        "\n".join(found)
    assert IN_TEMPLATE.search('{%- if session.get("consult") %}')


def test_the_grep_sees_a_raw_key() -> None:
    assert RAW.search('    session["journey"] = "booking"')
    assert RAW.search("    helper = visit.get('assist')")


# session._get_current_object(): a module unwrapping Flask's proxy itself to reach the visit.
UNWRAP = re.compile(r"\bsession\._get_current_object\(")


def test_only_the_session_store_unwraps_the_session_proxy() -> None:
    """Every area asks kiosk.security.sessions.current_visit() for the visit, typed."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "kiosk").rglob("*.py"))
             if path.relative_to(ROOT).as_posix() != "kiosk/security/sessions.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if UNWRAP.search(line)]
    assert found == [], "use current_visit() instead:\n" + "\n".join(found)
    assert UNWRAP.search("    visit = session._get_current_object()  # type: ignore")


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
        state.update(vitals=state.VitalsProgress(readings=[[120, 80, 70]]))
        copy = state.load()
        assert copy.vitals is not None
        copy.vitals.readings.append([130, 85, 72])
        copy.journey = "booking"
        assert session["vitals"]["readings"] == [[120, 80, 70]]
        assert "journey" not in session


def test_plain_holds_nothing_personal_and_personal_holds_the_rest() -> None:
    with _app().test_request_context("/"):
        state.update(journey="booking", lang="fr", text_size=2, help_from="/booking/",
                     booking=state.BookingDraft(identity={
                         "surname": "Martin", "first_name": "Paul", "birth_date": "1950-01-02",
                         "sex": "M", "source": "typed", "nir": "sealed", "phone": None}),
                     vitals=state.VitalsProgress(readings=[[150, 95, 80]]))
        state.update_appointment(code="K7MX2P")
        visit = state.load()
    plain, personal = visit.plain(), visit.personal()
    assert plain["journey"] == "booking" and plain["text_size"] == 2
    assert "Martin" not in repr(plain) and "K7MX2P" not in repr(plain)
    assert "150" not in repr(plain)
    assert personal["booking"]["identity"]["surname"] == "Martin"
    assert personal["vitals"] == {"readings": [[150, 95, 80]], "failures": 0}
    assert personal["appointment_code"] == "K7MX2P"
    assert set(plain).isdisjoint(personal)
    assert visit.to_dict() == {**plain, **personal}


def test_another_visits_stored_data_is_read_and_changed_in_place() -> None:
    stored = {"journey": "booking", "screen": "/booking/", "assist": {"name": "Sophie"}}
    assert state.load(stored).screen == "/booking/"
    state.forget_helper(stored)
    assert stored == {"journey": "booking", "screen": "/booking/"}


# What the session held for each part before the parts were typed (the dicts the areas wrote).
BEFORE = {
    "journey": "booking",
    "booking": {"typed": {"surname": "DURAND", "first_name": "JEANNE"},
                "answers": {"breathing": True, "neck": False},
                "identity": {"surname": "DURAND", "first_name": "JEANNE",
                             "birth_date": "1941-03-15", "sex": "F", "source": "typed",
                             "nir": "sealed-nir", "phone": None},
                "identity_confirmed": True, "reason": "fever", "doctor_id": None,
                "card": [{"surname": "DURAND", "first_name": "JEANNE", "birth_date": None,
                          "nir": "sealed-nir"}]},
    "vitals": {"readings": [[120, 80, 70]], "failures": 1, "irregular": True},
    "consult": {"id": 7, "consent": True, "end_at": "2026-11-30T08:40:00+00:00"},
}


def test_a_visit_stored_before_the_parts_were_typed_is_read_into_them() -> None:
    visit = state.load(copy.deepcopy(BEFORE))
    assert visit.booking is not None and visit.vitals is not None and visit.consult is not None
    assert visit.booking.reason == "fever" and visit.booking.identity_confirmed is True
    assert visit.booking.answers == {"breathing": True, "neck": False}
    assert visit.booking.identity is not None
    assert visit.booking.identity["birth_date"] == "1941-03-15"
    assert visit.booking.card is not None and visit.booking.card[0]["nir"] == "sealed-nir"
    assert visit.booking.doctor_id is None and visit.booking.slot_id is None
    assert visit.vitals.readings == [[120, 80, 70]] and visit.vitals.failures == 1
    assert visit.vitals.irregular is True and visit.vitals.result is None
    assert (visit.consult.id, visit.consult.consent, visit.consult.printed) == (7, True, None)


def test_a_change_to_one_field_leaves_the_stored_shape_as_it_was() -> None:
    stored = copy.deepcopy(BEFORE)
    with state.changing(stored) as visit:
        assert visit.booking is not None and visit.vitals is not None
        visit.booking.slot_id = 42
        visit.vitals.failures += 1
    expected = copy.deepcopy(BEFORE)
    del expected["booking"]["doctor_id"]  # None: left out, as a missing key reads the same
    expected["booking"]["slot_id"] = 42
    expected["vitals"]["failures"] = 2
    assert stored == expected
    # Saving what was read, unchanged, writes nothing at all (not even the None it held).
    untouched = copy.deepcopy(BEFORE)
    with state.changing(untouched):
        pass
    assert untouched == BEFORE


def test_a_new_part_is_stored_as_the_dict_the_areas_always_wrote() -> None:
    with _app().test_request_context("/"):
        draft = state.booking_draft()
        assert session["booking"] == {"typed": {}, "answers": {}}  # created on first use
        draft.reason = "fever"
        state.save_booking(draft)
        state.update(consult=state.ConsultProgress(id=3))
        progress = state.vitals_progress()
        progress.readings.append([118, 76, 64])
        state.update(vitals=progress)
        assert session["booking"] == {"typed": {}, "answers": {}, "reason": "fever"}
        assert session["consult"] == {"id": 3}
        assert session["vitals"] == {"readings": [[118, 76, 64]], "failures": 0}
