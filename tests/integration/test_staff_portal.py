"""The staff portal: sign-in and roles, the live page, help calls, assisted mode, the journal."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from staff_support import Portal, add_account, book_at_the_kiosk, journal
from support import Kiosk
from visit_support import visit_ref

from kiosk import create_app
from kiosk.cli.main import cli
from kiosk.core.db import get_db
from kiosk.core.records import Account, Consent, HelpRequest


def test_a_pharmacist_signs_in_and_sees_the_live_page(sophie: Portal) -> None:
    assert sophie.soup.h1.get_text() == "La borne en direct"
    for part in ("Demandes d'aide (0)", "Alertes de tension (0)", "Visites en cours (0)",
                 "La borne et ses appareils", "Rendez-vous du jour"):
        assert part in sophie.text
    # No vosk model in this test's model folder: the page says the kiosk is touch-only.
    assert "Pas de modèle de voix installé" in sophie.text
    assert sophie.soup.find(id="live")["hx-get"] == "/staff/live"


def test_aide_on_the_kiosk_shows_at_once_then_jarrive_and_resolved(
    sophie: Portal, kiosk: Kiosk, seeded: Flask
) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    kiosk.tap("Aide")
    assert kiosk.question == "Quelqu'un arrive."
    sophie.open("/staff/live")
    assert "Demandes d'aide (1)" in sophie.text and visit_ref(kiosk.client) in sophie.text
    sophie.open("/staff/")
    sophie.press("J'arrive", near=visit_ref(kiosk.client))
    assert "Sophie arrive." in sophie.text
    sophie.press("Résolu", near=visit_ref(kiosk.client))
    assert "Demandes d'aide (0)" in sophie.text
    with get_db(seeded).read() as db:
        call = db.scalars(select(HelpRequest)).one()
    assert call.resolved_at is not None and call.taken_by and call.taken_by.startswith("account:")
    assert [e.action for e in journal(seeded)][-2:] == ["help.coming", "help.resolved"]


def test_assisted_mode_only_after_yes_and_the_journal_names_the_helper(
    sophie: Portal, kiosk: Kiosk, seeded: Flask
) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    screen = kiosk.client_path()
    ref = visit_ref(kiosk.client)
    sophie.open("/staff/")
    # The screen in words, never its address.
    assert ref in sophie.text and "Mesure de la tension, ce qui va se passer" in sophie.text
    assert screen not in sophie.text
    sophie.press("Aider", near=ref)
    assert "Sophie attend la réponse de la personne." in sophie.text
    poll = kiosk.client.get("/assist/poll", headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll.headers["HX-Redirect"] == "/assist/question"
    kiosk.open("/assist/question")
    assert kiosk.question == "Acceptez-vous que Sophie, pharmacienne, vous aide ?"
    assert "Avec l'aide de" not in kiosk.text  # nothing before the answer
    kiosk.tap("Oui")
    assert kiosk.client_path() == screen
    assert kiosk.soup.select_one("#assist-banner p").get_text(strip=True) == "Avec l'aide de Sophie"
    kiosk.open("/")
    assert "Avec l'aide de Sophie" in kiosk.text  # on every screen
    sophie.open("/staff/")
    assert "Aidé par Sophie" in sophie.text
    with get_db(seeded).read() as db:
        consent = db.scalars(select(Consent)).one()
    assert (consent.state, consent.visit_ref, consent.scope) == ("accepted", ref,
                                                                 "book,measure,check-in")
    assert consent.answered_at is not None and consent.ended_at is None

    book_at_the_kiosk(kiosk)  # Sophie books for the person, at the kiosk
    assert "Avec l'aide de Sophie" in kiosk.text
    booked = [e for e in journal(seeded) if e.action == "appointment.booked"]
    with get_db(seeded).read() as db:
        sophie_id = db.scalar(select(Account.id).where(Account.username == "sophie"))
    # The account's id as everywhere in the journal, never the login name.
    assert [e.actor for e in booked] == [f"account:{sophie_id} for visit:{ref}"]
    assert not any("sophie" in e.actor for e in journal(seeded))
    # The admin finds it under Sophie's account, with her name beside it.
    add_account(seeded, "boss", "admin")
    admin = Portal(seeded.test_client())
    admin.sign_in("boss", "a-long-password")
    admin.open(f"/staff/journal?actor=account:{sophie_id}")
    rows = {(tr.select_one("td:nth-child(3)").get_text(),
             " ".join(tr.select_one("td:nth-child(2)").get_text().split()))
            for tr in admin.soup.select("tbody tr")}
    assert ("appointment.booked",
            f"account:{sophie_id} for visit:{ref} Sophie Bernard (sophie)") in rows
    assert {action for action, _who in rows} >= {"staff.signin", "assist.offered"}

    kiosk.tap("Terminer")
    with get_db(seeded).read() as db:
        consent = db.scalars(select(Consent)).one()
    assert consent.state == "ended" and consent.ended_at is not None
    actions = [(e.action, e.actor.split(":")[0]) for e in journal(seeded)]
    assert ("assist.offered", "account") in actions
    assert ("assist.accepted", "session") in actions
    assert ("assist.ended", "system") in actions


def test_non_means_no_banner_and_no_help(sophie: Portal, kiosk: Kiosk, seeded: Flask) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    sophie.open("/staff/")
    sophie.press("Aider", near=visit_ref(kiosk.client))
    kiosk.open("/assist/question")
    kiosk.tap("Non")
    assert "Avec l'aide de" not in kiosk.text
    with get_db(seeded).read() as db:
        assert db.scalars(select(Consent.state)).one() == "refused"
    poll = kiosk.client.get("/assist/poll")
    assert "HX-Redirect" not in poll.headers


def test_staff_add_creates_an_account_that_signs_in(seeded: Flask, settings: dict) -> None:
    runner = seeded.test_cli_runner()
    result = runner.invoke(cli, ["staff", "add", "marc", "--name", "Marc Petit", "--role",
                                 "agent", "--password-stdin"], input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert "correct horse" not in result.output
    portal = Portal(seeded.test_client())
    portal.sign_in("marc", "correct horse battery")
    assert portal.soup.h1.get_text() == "La borne en direct"
    again = runner.invoke(cli, ["staff", "add", "marc", "--name", "M", "--role", "agent"],
                          input="another long one\nanother long one\n")
    assert again.exit_code != 0 and "already exists" in again.output
    typo = runner.invoke(cli, ["staff", "add", "zoe", "--name", "Zoé", "--role", "admin"],
                         input="first long password\nsecond long password\n")
    assert typo.exit_code != 0


def test_the_person_or_the_staff_member_can_end_the_help(
    sophie: Portal, kiosk: Kiosk, seeded: Flask
) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    ref = visit_ref(kiosk.client)
    for stopper in ("person", "staff"):
        sophie.open("/staff/")
        sophie.press("Aider", near=ref)
        kiosk.open("/assist/question")
        kiosk.tap("Oui")
        assert "Avec l'aide de Sophie" in kiosk.text
        if stopper == "person":
            kiosk.tap("Arrêter l'aide")
        else:
            sophie.open("/staff/")
            sophie.press("Fin de l'aide", near=ref)
            poll = kiosk.client.get("/assist/poll")
            assert poll.headers.get("HX-Refresh") == "true"
            kiosk.open(kiosk.client_path())
        assert "Avec l'aide de" not in kiosk.text
    with get_db(seeded).read() as db:
        assert list(db.scalars(select(Consent.state))) == ["ended", "ended"]
    ended = [e.actor.split(":")[0] for e in journal(seeded) if e.action == "assist.ended"]
    assert ended == ["session", "account"]


def test_help_is_offered_only_to_a_visit_at_the_kiosk(sophie: Portal, seeded: Flask) -> None:
    own = visit_ref(sophie.client)  # Sophie's portal session
    for ref in (own, "0123456789ab"):
        sophie.post(f"/staff/visit/{ref}/help")
        assert sophie.response.status_code == 404
    assert sophie.post("/staff/visit/not-a-ref/help").status_code == 400
    with get_db(seeded).read() as db:
        assert list(db.scalars(select(Consent))) == []



def test_accepting_help_comes_back_to_the_screen_not_to_a_file_that_failed(
    sophie: Portal, kiosk: Kiosk, seeded: Flask
) -> None:
    """Issue 13: a speech file that failed became the visit's "screen", and Oui led to an error
    page. Only real screens count; the staff page names them in words."""
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    kiosk.open("/vitals/step/1")
    assert kiosk.question  # the first instruction
    ref = visit_ref(kiosk.client)
    # The screen's browser fetches files that fail: an error page answers each of them.
    assert kiosk.client.get("/speech/" + "0" * 64 + ".wav").status_code == 404
    assert kiosk.client.get("/booking/qr/NOPE.svg").status_code in (400, 404)
    assert kiosk.client.get("/no-such-page").status_code == 404
    sophie.open("/staff/")
    row = sophie.soup.select_one(f'tr[data-visit="{ref}"]')
    assert " ".join(row.get_text(" ").split()).count("Mesure de la tension, étape 1") == 1
    assert "/vitals" not in sophie.text and ".wav" not in sophie.text
    sophie.press("Aider", near=ref)
    kiosk.open("/assist/question")
    kiosk.tap("Oui")
    assert kiosk.response.status_code == 200
    assert kiosk.client_path() == "/vitals/step/1"
    assert "Un problème est arrivé" not in kiosk.text
    assert "Sophie" in kiosk.soup.select_one("#assist-banner").get_text()  # helped from now on


def test_a_help_call_names_the_screen_it_came_from(sophie: Portal, kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Mesurer ma tension")
    kiosk.open("/vitals/step/2")
    kiosk.tap("Aide")
    sophie.open("/staff/")
    call = sophie.soup.select_one("li.staff-call")
    assert "Mesure de la tension, étape 2" in " ".join(call.get_text(" ").split())
    assert "/vitals" not in sophie.text


# Machine words that once reached the staff page (issue 13, item 17).
MACHINE_WORDS = ("touch-only", "speech model", "not_configured", "unavailable", "speech:")


def test_the_staff_page_speaks_one_language_only(seeded: Flask, settings: dict) -> None:
    sophie = Portal(seeded.test_client())
    sophie.sign_in()
    assert sophie.soup.html["lang"] == "fr"
    assert "Voix de la borne" in sophie.text and "La borne marche seulement au toucher." in \
        sophie.text
    for word in MACHINE_WORDS:
        assert word not in sophie.text.lower(), word

    english = create_app({**settings, "languages": ["en", "fr"]})
    try:
        portal = Portal(english.test_client())
        portal.sign_in()
        assert portal.soup.html["lang"] == "en"
        assert "The kiosk's voice" in portal.text and "The kiosk works by touch only." in \
            portal.text
        for word in ("Voix de la borne", "Reconnaissance vocale", "Marche", "Pas installé",
                     "Personne", *MACHINE_WORDS):
            assert word not in portal.text, word
    finally:
        get_db(english).dispose()


def test_every_patient_screen_has_a_name_for_the_staff(settings: dict) -> None:
    """A new screen gets its words in kiosk/visit/screen_names.py, or the staff page says
    "Écran inconnu" (and the visit would never be "on" it)."""
    from screens import is_patient_screen

    from kiosk.visit.screen_names import SCREENS

    app = create_app(settings)
    try:
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                     if "GET" in rule.methods and is_patient_screen(rule.endpoint)}
    finally:
        get_db(app).dispose()
    # A name for a screen that is gone, or not yet merged, is harmless; a screen without one is not.
    assert endpoints <= set(SCREENS), endpoints - set(SCREENS)
