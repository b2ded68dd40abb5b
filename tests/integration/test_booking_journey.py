"""The booking journey through its screens, as a person taps them (no card)."""

from __future__ import annotations

import pytest
import segno
from flask import Flask
from sqlalchemy import func, select
from support import Kiosk

from kiosk.core.db import get_db
from kiosk.core.records import Appointment, Patient


def identify_without_card(kiosk: Kiosk, nir: str = "") -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    # No card reader in this test: the first screen says so, with the cost.
    assert kiosk.question == "Une consultation avec un médecin"
    assert "Vous n'avez rien à payer." in kiosk.text
    kiosk.tap("Je n'ai pas de carte")
    assert kiosk.question == "Quel est votre nom de famille ?"
    assert "Étape 1 sur 5" in kiosk.text
    kiosk.type("DURAND")
    kiosk.tap("Valider")
    kiosk.type("JEANNE")
    kiosk.tap("Valider")
    # Neither "né" nor "née": the kiosk does not know yet whom it speaks to.
    assert kiosk.question == "Votre date de naissance : quel jour ?"
    kiosk.tap("15")
    assert kiosk.question == "Votre date de naissance : quel mois ?"
    kiosk.tap("mars")
    assert kiosk.question == "Votre date de naissance : quelle année ?"
    kiosk.type("1941")
    kiosk.tap("Valider")
    assert kiosk.question == "Quel est votre numéro de sécurité sociale ?"
    # Someone who said they have no card is not sent looking on it.
    assert "Il est sur vos papiers de l'Assurance Maladie." in kiosk.text
    assert "carte Vitale" not in main_text(kiosk)
    if nir:
        kiosk.type(nir)
        kiosk.tap("Valider")
    else:
        kiosk.tap("Passer")
    kiosk.tap("Passer")  # phone


def main_text(kiosk: Kiosk) -> str:
    """The words of the screen itself, without the persistent controls around it."""
    assert kiosk.soup is not None
    return " ".join(kiosk.soup.select_one("main").get_text(" ").split())


def answer_each(kiosk: Kiosk, *answers: str) -> list[str]:
    """Answer the questions in turn; returns the questions that were asked."""
    asked = []
    for answer in answers:
        asked.append(kiosk.question)
        kiosk.tap(answer)
    return asked


def test_a_person_without_a_card_books_the_earliest_slot(
    seeded: Flask, clock, kiosk: Kiosk
) -> None:
    identify_without_card(kiosk, nir="241037510804204")
    assert kiosk.question == "Vous êtes bien Madame Jeanne DURAND ?"
    assert "15 mars 1941" in kiosk.text
    kiosk.tap("Oui, c'est moi")
    assert kiosk.question == "Pourquoi voulez-vous voir le médecin ?"
    kiosk.tap("Fièvre")
    assert answer_each(kiosk, "Oui", "Non", "Oui") == ["Avez-vous du mal à respirer ?",
                     "Avez-vous très mal à la tête ou à la nuque ?",
                     "Avez-vous de la fièvre depuis plus de 3 jours ?"]
    assert kiosk.question == "Quand voulez-vous voir le médecin ?"
    # Monday 9:00 in Paris: the first slot is 9:15 (5 minutes' lead) with Dr Benali or Martin.
    assert "Aujourd'hui à 9 h 15 avec le docteur" in kiosk.text
    kiosk.tap(next(b for b in kiosk_buttons(kiosk) if b.startswith("Le plus tôt possible")))
    assert kiosk.question == "Vérifiez votre rendez-vous"
    for shown in (
        "Madame Jeanne DURAND",
        "15 mars 1941",
        "Fièvre",
        "Avez-vous du mal à respirer ? Oui",
        "Avez-vous très mal à la tête ou à la nuque ? Non",
        "Avez-vous de la fièvre depuis plus de 3 jours ? Oui",
        "9 h 15",
    ):
        assert shown in kiosk.text, shown
    kiosk.tap("Confirmer")
    assert kiosk.question == "C'est réservé."
    code = kiosk.soup.select_one(".code").get_text(strip=True)
    assert len(code) == 6
    assert "L'imprimante ne marche pas." in kiosk.text  # no printer in this test
    # No card, no ticket: what to bring is the code, written down.
    assert "Apportez ce code, écrit sur un papier." in kiosk.text
    assert "carte Vitale" not in main_text(kiosk)
    with get_db(seeded).read() as db:
        appointment = db.scalars(select(Appointment)).one()
    assert appointment.code == code and appointment.status == "booked"


def kiosk_buttons(kiosk: Kiosk) -> list[str]:
    return [" ".join(b.get_text().split()) for b in kiosk.soup.find_all("button")]


@pytest.mark.parametrize(
    ("day", "month", "year", "sentence"),
    [
        ("31", "février", "1950", "Cette date n'existe pas. Vérifiez le jour."),
        ("1", "janvier", "2030", "Cette année n'est pas possible. Vérifiez l'année."),
        ("1", "janvier", "195", "L'année a 4 chiffres. Par exemple 1950."),
    ],
)
def test_an_impossible_birth_date_is_explained(
    seeded: Flask, clock, kiosk: Kiosk, day: str, month: str, year: str, sentence: str
) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.tap("Je n'ai pas de carte")
    kiosk.type("DUPONT")
    kiosk.tap("Valider")
    kiosk.type("LUC")
    kiosk.tap("Valider")
    kiosk.tap(day)
    kiosk.tap(month)
    kiosk.type(year)
    kiosk.tap("Valider")
    assert kiosk.question == "Votre date de naissance : quelle année ?"
    assert sentence in kiosk.text
    assert kiosk.soup.select_one("output.typed").get_text(strip=True) == year


def test_an_empty_name_is_explained(seeded: Flask, clock, kiosk: Kiosk) -> None:
    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    kiosk.tap("Je n'ai pas de carte")
    kiosk.tap("Valider")
    assert "Le nom est vide. Touchez les lettres de votre nom." in kiosk.text


def test_saying_no_to_the_identity_goes_back_with_the_name_kept(
    seeded: Flask, clock, kiosk: Kiosk
) -> None:
    identify_without_card(kiosk)
    assert kiosk.question == "Vous êtes bien Jeanne DURAND ?"  # no NIR: no Madame/Monsieur
    kiosk.tap("Non")
    assert kiosk.question == "Quel est votre nom de famille ?"
    assert kiosk.soup.select_one("output.typed").get_text(strip=True) == "DURAND"


def test_a_slot_taken_meanwhile_offers_the_next_times(seeded: Flask, clock, app: Flask) -> None:
    first, second = Kiosk(app.test_client()), Kiosk(app.test_client())
    for person in (first, second):
        identify_without_card(person)
        person.tap("Oui, c'est moi")
        person.tap("Autre")
        person.tap("Passer les questions")
        person.tap(next(b for b in kiosk_buttons(person) if b.startswith("Le plus tôt")))
        assert person.question == "Vérifiez votre rendez-vous"
    first.tap("Confirmer")
    assert first.question == "C'est réservé."
    second.tap("Confirmer")
    assert second.question == "Ce créneau vient d'être pris."
    assert "Choisissez une autre heure." in second.text
    choices = [b for b in kiosk_buttons(second) if "avec le docteur" in b]
    assert choices, "no other time offered"
    second.tap(choices[0])
    assert second.question == "Vérifiez votre rendez-vous"
    second.tap("Confirmer")
    assert second.question == "C'est réservé."
    with get_db(seeded).read() as db:
        assert db.scalar(select(func.count()).select_from(Appointment)) == 2
        assert db.scalar(select(func.count()).select_from(Patient)) == 2


def test_a_double_tap_on_confirmer_books_once(seeded: Flask, clock, client, kiosk: Kiosk) -> None:
    identify_without_card(kiosk)
    kiosk.tap("Oui, c'est moi")
    kiosk.tap("Autre")
    kiosk.tap("Passer les questions")
    kiosk.tap(next(b for b in kiosk_buttons(kiosk) if b.startswith("Le plus tôt")))
    form = {
        "csrf_token": kiosk.csrf_token(),
        "key": kiosk.soup.find("input", attrs={"name": "key"})["value"],
    }
    assert client.post("/booking/confirm", data=form).status_code == 303
    assert client.post("/booking/confirm", data=form).status_code == 303
    with get_db(seeded).read() as db:
        assert db.scalar(select(func.count()).select_from(Appointment)) == 1


def test_the_ics_has_the_time_and_no_name(seeded: Flask, clock, client, kiosk: Kiosk) -> None:
    identify_without_card(kiosk)
    kiosk.tap("Oui, c'est moi")
    kiosk.tap("Autre")
    kiosk.tap("Passer les questions")
    kiosk.tap(next(b for b in kiosk_buttons(kiosk) if b.startswith("Le plus tôt")))
    kiosk.tap("Confirmer")
    code = kiosk.soup.select_one(".code").get_text(strip=True)
    with get_db(seeded).read() as db:
        token = db.scalar(select(Appointment.ticket_token))
    ics = client.get(f"/booking/{token}.ics")
    body = ics.get_data(as_text=True)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert "DTSTART:20261130T081500Z" in body
    assert code not in body  # the code is a reference, never in the file (SECURITY.md item 24)
    assert "DURAND" not in body.upper() and "JEANNE" not in body.upper()
    assert client.get(f"/booking/{code}.ics").status_code == 404
    # The screen's QR code draws the token, never the code.
    assert kiosk.soup.select_one("img.qr")["src"] == f"/booking/qr/{token}.svg"
    qr = client.get(f"/booking/qr/{token}.svg")
    assert qr.mimetype == "image/svg+xml" and b'xmlns="http://www.w3.org/2000/svg"' in qr.data
    size = segno.make_qr(token, error="m").symbol_size(scale=8, border=2)[0]
    assert f'width="{size}"'.encode() in qr.data  # a regular QR code, not a Micro QR
    assert segno.make_qr(token, error="m").designator.startswith("2")  # 25x25: still small


def test_each_reason_asks_the_questions_that_fit_it(seeded: Flask, clock, kiosk: Kiosk) -> None:
    """Douleur never asks about a fever; another reason drops the answers given for the
    first one, so the doctor never reads an answer to a question that was not asked."""
    identify_without_card(kiosk)
    kiosk.tap("Oui, c'est moi")
    kiosk.tap("Douleur")
    assert answer_each(kiosk, "Oui", "Non", "Non") == ["Avez-vous mal à la poitrine ?",
                     "Avez-vous mal après une chute ou un coup ?",
                     "Avez-vous mal depuis plus d'une semaine ?"]
    assert kiosk.question == "Quand voulez-vous voir le médecin ?"
    kiosk.open("/booking/reason")
    kiosk.tap(chosen(kiosk, "Douleur"))  # the reason chosen before is shown as chosen
    assert kiosk.question == "Avez-vous mal à la poitrine ?"
    assert chosen(kiosk, "Oui")  # same reason: the answers stay
    kiosk.open("/booking/reason")
    kiosk.tap("Peau")
    assert kiosk.question == "Est-ce que la rougeur ou le bouton grandit vite ?"
    assert "Votre réponse" not in kiosk.text  # another reason: nothing answered yet
    kiosk.tap("Passer les questions")
    kiosk.tap(next(b for b in kiosk_buttons(kiosk) if b.startswith("Le plus tôt")))
    assert kiosk.question == "Vérifiez votre rendez-vous"
    assert "Peau" in kiosk.text and "poitrine" not in kiosk.text
    # A question of another reason cannot be answered for this one.
    refused = kiosk.client.post("/booking/question/chest",
                                data={"answer": "yes", "csrf_token": kiosk.csrf_token()})
    assert refused.status_code == 400


def chosen(kiosk: Kiosk, word: str) -> str:
    """The button of ``word``, marked as the person's earlier answer."""
    return next(b for b in kiosk_buttons(kiosk) if b.startswith(word) and
                b.endswith("Votre réponse"))


def test_every_reason_has_three_short_questions() -> None:
    """Three questions keep booking with a card within 8 taps; 12 words at most (FALC)."""
    from kiosk.booking.questions import QUESTION_TEXT, QUESTIONS_FOR, REASONS

    assert set(QUESTIONS_FOR) == {key for key, _icon, _word in REASONS}
    for reason, keys in QUESTIONS_FOR.items():
        assert len(keys) == 3 and len(set(keys)) == 3, reason
        assert set(keys) <= set(QUESTION_TEXT), reason
    app = Flask(__name__)
    with app.test_request_context():
        from flask_babel import Babel

        Babel(app)
        for key, text in QUESTION_TEXT.items():
            words = text().replace("?", "").split()
            assert len(words) <= 12, key


def test_a_booking_begun_before_the_typed_visit_state_goes_on(
    seeded: Flask, clock, app: Flask, client, kiosk: Kiosk
) -> None:
    """The draft as the kiosk stored it before its state was typed (a unit upgraded while a
    person was at the reason's questions): the person carries on to the check screen."""
    from flask import request

    kiosk.open("/")
    kiosk.tap("Prendre rendez-vous")
    token = client.get_cookie("kiosk").value
    before = {"typed": {"surname": "DURAND", "first_name": "JEANNE"},
              "answers": {"breathing": True, "neck": False, "fever_days": True},
              "identity": {"surname": "DURAND", "first_name": "Jeanne",
                           "birth_date": "1941-03-15", "sex": "F", "source": "typed",
                           "nir": None, "phone": None},
              "identity_confirmed": True, "reason": "fever", "doctor_id": None}
    with app.test_request_context("/", headers={"Cookie": f"kiosk={token}"}):
        visit = app.session_interface.open_session(app, request)
        visit["booking"] = before
        app.session_interface.save_session(app, visit, app.response_class())

    kiosk.open("/booking/time")
    assert kiosk.question == "Quand voulez-vous voir le médecin ?"
    kiosk.tap(next(b for b in kiosk_buttons(kiosk) if b.startswith("Le plus tôt possible")))
    assert kiosk.question == "Vérifiez votre rendez-vous"
    for shown in ("Madame Jeanne DURAND", "15 mars 1941", "Fièvre",
                  "Avez-vous du mal à respirer ? Oui",
                  "Avez-vous de la fièvre depuis plus de 3 jours ? Oui"):
        assert shown in kiosk.text, shown
    kiosk.tap("Confirmer")
    assert kiosk.question == "C'est réservé."
