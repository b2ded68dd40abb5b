"""The video consultation end to end: a kiosk and a doctor, two browser contexts, one call.

Chromium's fake camera and microphone stand in for real ones; the call goes browser to browser
over the loopback, signalled through the real demo server's database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from kiosk_browser import ARGS, ARTIFACTS, CHROMIUM, Watched, open_kiosk
from playwright.sync_api import Browser, Locator, Page, expect
from screens import book_today, choose, demo_database, press, proven_by_birth_date, type_keys
from sqlalchemy import func, select

from kiosk.core.records import HelpRequest

pytestmark = pytest.mark.browser

MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    # Both peers are on this machine: offer the loopback and plain host addresses.
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]


@pytest.fixture(scope="module")
def media_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium of the same Playwright, with the fake camera and microphone."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=ARGS + MEDIA_ARGS)
    yield chromium
    chromium.close()


def frames_arrive(video: Locator) -> None:
    """The remote video has a picture, and it moves."""
    deadline = datetime.now() + timedelta(seconds=20)
    first = None
    while datetime.now() < deadline:
        width, now = video.evaluate("v => [v.videoWidth, v.currentTime]")
        if width > 0 and first is None:
            first = now
        if first is not None and now > first + 0.2:
            return
        video.page.wait_for_timeout(200)
    raise AssertionError(f"no moving picture in {video}")


def help_requests() -> int:
    with demo_database() as (database, _vault), database.read() as db:
        return int(db.scalar(select(func.count()).select_from(HelpRequest)
                             .where(HelpRequest.screen == "/consult/appel")) or 0)


def check_in(kiosk: Page, code: str) -> None:
    kiosk.goto("/")
    choose(kiosk, "appointment", "**/appointment/")
    choose(kiosk, "code", "**/appointment/code")
    type_keys(kiosk, code)
    press(kiosk, "main button[value='ok']", "**/appointment/prove")
    proven_by_birth_date(kiosk)  # the second proof (SECURITY.md item 23)
    choose(kiosk, "consult", "**/consult/tension")
    choose(kiosk, "no", "**/consult/accord")  # no blood pressure before
    choose(kiosk, "yes", "**/consult/essai")  # yes to the camera
    expect(kiosk.locator("[data-call=check]")).to_have_attribute("data-state", "ready")
    choose(kiosk, "yes", "**/consult/attente")  # the test sound was heard
    expect(kiosk.locator("main")).to_contain_text("le docteur Claire Martin")


def doctor_opens(doctor: Page, appointment_id: int) -> None:
    doctor.goto("/doctor/login")
    doctor.fill("#username", "dr.martin")
    doctor.fill("#password", "demo-martin")
    doctor.locator("form.portal-form button[type=submit]").click()
    doctor.wait_for_url("**/doctor/")
    expect(doctor.locator("main")).to_contain_text("En attente")  # the patient waits
    doctor.goto(f"/doctor/appointment/{appointment_id}")


def test_kiosk_and_doctor_see_each_other_chat_and_share_a_reading(
    media_browser: Browser, demo
) -> None:
    code, appointment_id = book_today("MARTIN", "Paul")
    kiosk: Watched = open_kiosk(media_browser, demo)
    doctor_context = media_browser.new_context(base_url=demo.url, locale="fr-FR",
                                               timezone_id="Europe/Paris")
    doctor_context.set_default_timeout(10_000)
    doctor = doctor_context.new_page()
    doctor_errors: list[str] = []
    doctor.on("pageerror", lambda exc: doctor_errors.append(str(exc)))
    try:
        check_in(kiosk.page, code)
        doctor_opens(doctor, appointment_id)

        doctor.locator("[data-call-start]").click()
        kiosk.page.wait_for_url("**/consult/appel", timeout=15_000)
        for side in (kiosk.page, doctor):
            expect(side.locator("[data-call]")).to_have_attribute("data-state", "connected",
                                                                  timeout=20_000)
        frames_arrive(kiosk.page.locator("[data-remote]"))
        frames_arrive(doctor.locator("[data-remote]"))
        # The open page learns the state by itself: in consultation, so never "absent".
        expect(doctor.locator("#appointment-state")).to_have_text("En consultation")
        expect(doctor.locator("#appointment-actions")).not_to_contain_text("Marquer absent")

        # A chat line each way, in large type beside the picture. The kiosk has no keyboard:
        # the person answers with a ready-made reply (issue 13 item 15).
        expect(kiosk.page.locator("main input:not([type=hidden]), main textarea")).to_have_count(0)
        kiosk.page.locator("[data-reply]", has_text="Je n'entends pas bien.").click()
        expect(doctor.locator("[data-chat-log]")).to_contain_text("Je n'entends pas bien.")
        doctor.fill("#chat-text", "Je vais parler plus fort")
        doctor.locator("[data-chat-form] button").click()
        expect(kiosk.page.locator("[data-chat-log]")).to_contain_text("Je vais parler plus fort")

        # Many lines: the latest stay in sight without a scrolling box, the earlier ones
        # come back with "Précédent" (ACCESSIBILITY.md item 27).
        for n in range(1, 13):
            doctor.fill("#chat-text", f"Message numéro {n} du médecin.")
            doctor.locator("[data-chat-form] button").click()
        log = kiosk.page.locator("[data-chat-log]")
        expect(log.locator("li:visible").last).to_contain_text("Message numéro 12")
        assert log.evaluate("l => l.scrollHeight <= l.clientHeight + 1")
        expect(log.locator("li", has_text="Je vais parler plus fort")).to_be_hidden()
        older = kiosk.page.locator("[data-chat-older]")
        while older.is_visible():
            older.click()
        expect(log.locator("li", has_text="Je vais parler plus fort")).to_be_visible()
        assert log.evaluate("l => l.scrollHeight <= l.clientHeight + 1")
        kiosk.page.locator("[data-chat-newer]").click()
        expect(log.locator("li", has_text="Je vais parler plus fort")).to_be_hidden()

        # Blood pressure during the call: the doctor's page shows it without a reload.
        kiosk.page.locator("[data-bp-start]").click()
        expect(kiosk.page.locator("[data-bp-result]")).to_contain_text("115 / 74",
                                                                       timeout=20_000)
        expect(doctor.locator("main")).to_contain_text("115/74", timeout=15_000)
        expect(kiosk.page.locator("[data-call]")).to_have_attribute("data-state", "connected")

        # Aide calls the pharmacist without taking the call off the screen.
        kiosk.page.locator(".navbar button.help").click()
        expect(kiosk.page.locator("[data-help-called]")).to_be_visible()
        assert kiosk.page.url.endswith("/consult/appel")
        assert help_requests() == 1
        expect(kiosk.page.locator("[data-call]")).to_have_attribute("data-state", "connected")

        # The reading took room from the messages: they fit again, still without scrolling.
        assert log.evaluate("l => l.scrollHeight <= l.clientHeight + 1")
        kiosk.screenshot("consultation-call-kiosk")
        doctor.screenshot(path=str(ARTIFACTS / "consultation-call-doctor.png"), full_page=True)

        # The doctor hangs up: the kiosk ends the call by itself.
        doctor.locator("[data-call-hangup]").click()
        kiosk.page.wait_for_url("**/consult/fin", timeout=10_000)
        expect(kiosk.page.locator("h1")).to_have_text("La consultation est finie.")
        expect(doctor.locator("[data-call-status]")).to_contain_text("Appel terminé")
        expect(doctor.locator("#appointment-state")).to_have_text("Terminé")
        expect(doctor.locator("#appointment-actions")).not_to_contain_text("Marquer terminé")

        # The doctor writes the summary: the kiosk's end screen shows it and prints it.
        doctor.fill("#summary", "Buvez beaucoup d'eau.")
        doctor.locator("form.portal-note button[type=submit]").click()
        expect(kiosk.page.locator("main")).to_contain_text("Buvez beaucoup d'eau.",
                                                           timeout=15_000)
        expect(kiosk.page.locator("main")).to_contain_text("Prenez votre ticket")
        expect(doctor.locator("#appointment-state")).to_have_text("Terminé")  # saved: reloaded
        expect(doctor.locator("#appointment-actions")).not_to_contain_text("Marquer terminé")
        kiosk.screenshot("consultation-end-kiosk")
        doctor.screenshot(path=str(ARTIFACTS / "consultation-doctor.png"), full_page=True)
    finally:
        violations = kiosk.csp_violations()
        kiosk.context.close()
        doctor_context.close()
    assert not violations, f"CSP violations: {violations}"
    assert not kiosk.errors and not doctor_errors, (kiosk.errors, doctor_errors)
