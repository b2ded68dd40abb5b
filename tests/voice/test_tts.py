"""Text to speech with the real espeak-ng engine in its worker process."""

from __future__ import annotations

import logging
import threading
import wave
from pathlib import Path

import pytest

from voice.errors import SpeechError, SpeechTimeout, SpeechUnavailable
from voice.speech import Private, build_speech
from voice.spoken import normalise
from voice.tts import DEFAULT_RATE, TtsService, cache_key, prerender


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        assert wav.getframerate() == 22050
        return wav.getnframes() / wav.getframerate()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Bonjour. Voulez-vous prendre un rendez-vous avec un médecin aujourd'hui ?"),
        ("fr", "Votre rendez-vous est le lundi 1er décembre à 14 h 30."),
        ("en", "Hello. Would you like to book an appointment with a doctor today?"),
    ],
)
def test_wav_is_valid_and_its_length_fits_the_text(
    session_tts: TtsService, lang: str, text: str
) -> None:
    words = len(normalise(text, lang).split())
    seconds = duration(session_tts.render(text, lang).path)
    # 130 words a minute is 0.46 s a word; espeak-ng measured 0.35-0.6 here, plus pauses.
    assert 0.25 * words < seconds < 0.9 * words


def test_slower_rate_gives_longer_speech(session_tts: TtsService) -> None:
    text = "Touchez le bouton vert pour continuer."
    slow = duration(session_tts.render(text, "fr", rate=90).path)
    fast = duration(session_tts.render(text, "fr", rate=200).path)
    assert slow > 1.6 * fast


def test_numbers_are_written_out_before_synthesis(session_tts: TtsService) -> None:
    digits = session_tts.render("Il est 14 h 30.", "fr")
    words = session_tts.render("Il est quatorze heures trente.", "fr")
    # Same spoken text, so the same cache entry: the engine never saw "14 h 30".
    assert (
        digits.key == words.key == cache_key("Il est quatorze heures trente.", "fr", DEFAULT_RATE)
    )
    assert words.cached


def test_cache_hit_does_not_touch_the_worker(tts: TtsService) -> None:
    first = tts.render("Bienvenue à la borne de santé.", "fr")
    renders, mtime = tts.worker_renders, first.path.stat().st_mtime_ns
    tts.close()  # the worker is gone: only the cache can answer
    again = tts.render("Bienvenue à la borne de santé.", "fr")
    assert (again.path, again.cached, first.cached) == (first.path, True, False)
    assert tts.worker_renders == renders and again.path.stat().st_mtime_ns == mtime
    with pytest.raises(SpeechUnavailable):
        tts.render("Une phrase jamais dite.", "fr")


def test_key_depends_on_text_voice_and_rate(tts: TtsService) -> None:
    keys = {
        cache_key("Oui", "fr", 130),
        cache_key("Oui", "en", 130),
        cache_key("Oui", "fr", 150),
        cache_key("Non", "fr", 130),
    }
    assert len(keys) == 4
    assert tts.lookup(cache_key("Oui", "fr", 130)) is None
    rendered = tts.render("Oui", "fr")
    assert tts.lookup(rendered.key) == rendered.path
    assert tts.lookup("../../etc/passwd") is None and tts.lookup(rendered.key.upper()) is None


def test_nothing_starts_before_the_first_render(tmp_path: Path) -> None:
    service = TtsService(tmp_path / "speech")
    assert service.worker_pid is None and not (tmp_path / "speech").exists()
    try:
        service.render("Bonjour.", "fr")
        assert service.worker_pid is not None
    finally:
        service.close()
    assert service.worker_pid is None


def test_many_threads_share_one_worker(tts: TtsService) -> None:
    results: dict[int, Path] = {}
    errors: list[BaseException] = []

    def speak(i: int) -> None:
        try:
            results[i] = tts.render(f"Vous êtes la personne numéro {i}.", "fr").path
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results.values())) == 12
    assert all(duration(path) > 1.0 for path in results.values())
    assert tts.worker_starts == 1


def test_hung_render_hits_its_deadline_and_the_worker_recovers(
    tmp_path: Path, hook_path: str
) -> None:
    from tts_hooks import HANG

    service = TtsService(tmp_path / "speech", synthesiser=f"{hook_path}:hang_on_marker")
    try:
        service.start()
        hung_pid = service.worker_pid
        with pytest.raises(SpeechTimeout):
            service.render(HANG, "fr", deadline=0.5)
        # Killed and reaped: no process and no zombie left behind.
        assert not Path(f"/proc/{hung_pid}").exists()
        assert list((tmp_path / "speech").glob(".*")) == []  # the half-written file is gone
        after = service.render("Je suis de retour.", "fr")
        assert duration(after.path) > 0.5
        assert service.worker_starts == 2 and service.worker_pid != hung_pid
    finally:
        service.close()


def test_engine_failure_is_a_domain_error_without_the_text(tmp_path: Path, hook_path: str) -> None:
    service = TtsService(tmp_path / "speech", synthesiser=f"{hook_path}:fail")
    try:
        with pytest.raises(SpeechError) as failure:
            service.render("Madame Secrète", "fr")
        assert "Secrète" not in str(failure.value)
    finally:
        service.close()


def test_private_speech_is_kept_apart_and_purged(
    tts: TtsService, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    speech = build_speech(
        [("Bonjour ", Private("Jeanne Dupont"), ".")], lang="fr", headset=True, asked=False
    )
    with caplog.at_level(logging.DEBUG, logger="voice"):
        private = tts.render(speech)
        public = tts.render("Bonjour.", "fr")
    # Held in memory only: no file of it is left, under the cache or the worker's tmpfs folder.
    assert private.private and tts.private_audio(private.key)[:4] == b"RIFF"
    assert tts.private_dir is not None and list(tts.private_dir.iterdir()) == []
    assert not any(private.key in p.name for p in tts.cache_dir.rglob("*"))
    # The file name is a keyed hash: it cannot be checked against a guessed name.
    assert private.key != cache_key(speech.text, "fr", DEFAULT_RATE)
    assert "Dupont" not in caplog.text and "Bonjour" not in caplog.text
    assert "Audio saved" not in capfd.readouterr().out
    assert tts.purge_private() == 1
    assert tts.private_audio(private.key) is None and public.path.exists()
    assert tts.lookup(private.key) is None


def test_withheld_speech_is_public(tts: TtsService) -> None:
    speech = build_speech(
        [("Bonjour ", Private("Jeanne"), ".")], lang="fr", headset=False, asked=False
    )
    assert not tts.render(speech).private


@pytest.mark.parametrize(
    ("text", "lang", "error"),
    [
        ("", "fr", ValueError),
        ("Bonjour", None, ValueError),
        ("Bonjour", "xx", ValueError),
        (b"Bonjour", "fr", TypeError),
    ],
)
def test_bad_requests_are_refused(
    tts: TtsService, text: object, lang: str | None, error: type[Exception]
) -> None:
    with pytest.raises(error):
        tts.render(text, lang)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TtsService(Path("unused"), rate=20)


def test_prerender_static_prompts(tmp_path: Path) -> None:
    prompts = ["Bienvenue.", "Touchez Oui ou Non.", "Étape 1 sur 4."]
    rendered = prerender(prompts, "fr", cache_dir=tmp_path)
    assert [r.cached for r in rendered] == [False, False, False]
    assert all(duration(r.path) > 0.3 for r in rendered)
    again = prerender(prompts, "fr", cache_dir=tmp_path)
    assert [r.path for r in again] == [r.path for r in rendered] and all(r.cached for r in again)
