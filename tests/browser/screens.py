"""Every patient screen, and how a person reaches it. The harness visits each one.

Navigation taps what a person taps. Buttons are found by their form value or role rather than by
words, so the same path works in every language.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from kiosk.booking import service, slots
from kiosk.core.db import Database
from kiosk.core.records import utcnow
from kiosk.security.vault import Vault
from peripherals.sim.vitale_card import IDENTITIES

# Set by the demo fixture: the data folder of the running demo, to book directly in its database.
DEMO_DATA_DIR: list[Path] = []
_keys = itertools.count()


@contextmanager
def demo_database() -> Iterator[tuple[Database, Vault]]:
    """The running demo's database and field key, to change what an earlier visitor, the
    doctor or the staff would have changed."""
    data_dir = DEMO_DATA_DIR[-1]
    database = Database(f"sqlite:///{data_dir / 'kiosk.db'}")
    try:
        yield database, Vault(data_dir / "keys" / "fields.key")
    finally:
        database.dispose()


def book_now(nir: str | None = None, surname: str = "DURAND", first_name: str = "Luc") -> str:
    """Book the earliest free slot in the demo's database, as an earlier visitor did."""
    with demo_database() as (database, vault):
        with database.read() as db:
            slot = slots.earliest_free(db, utcnow())
        assert slot is not None, "the demo has no free slot left"
        appointment = service.book(
            database,
            vault,
            slot_id=slot.id,
            identity=service.Identity(surname, first_name, date(1950, 3, 3), nir=nir),
            clinical=service.Clinical("other"),
            idempotency_key=f"browser-{next(_keys)}",
            actor="test",
            now=utcnow(),
        )
        return appointment.code


def book_today(surname: str = "DURAND", first_name: str = "Luc") -> tuple[str, int]:
    """Book Dr Martin in a few seconds from now (a slot made for it, whatever the day), so the
    consultation can start at once. Returns the code and the appointment's id."""
    from datetime import timedelta

    from sqlalchemy import select

    from kiosk.core.records import Practitioner, Slot

    with demo_database() as (database, vault):
        starts = utcnow().replace(microsecond=0) + timedelta(minutes=2, seconds=next(_keys))
        with database.write() as db:
            martin = db.scalar(select(Practitioner).where(Practitioner.surname == "Martin"))
            slot = Slot(practitioner_id=martin.id, starts_at=starts,
                        ends_at=starts + timedelta(minutes=15))
            db.add(slot)
            db.flush()
            slot_id = slot.id
        appointment = service.book(
            database, vault, slot_id=slot_id,
            identity=service.Identity(surname, first_name, date(1950, 3, 3)),
            clinical=service.Clinical("other"), idempotency_key=f"browser-{next(_keys)}",
            actor="test", now=utcnow(),
        )
        return appointment.code, appointment.id


def demo_signal(appointment_id: int, sender: str, kind: str) -> None:
    """Say something in the call as the other side would (a ring, a goodbye)."""
    from kiosk.consult import signals

    with demo_database() as (database, _vault):
        signals.send(database, appointment_id, sender, kind, {}, utcnow())


@dataclass(frozen=True)
class Screen:
    """A patient screen: a name for reports, the endpoint it shows, how to get there.

    ``reloads``: loading its address again shows the same screen, so the harness reaches it
    once and changes text size and language on it. A screen that answers a POST (an error) or
    that moves on by itself is reached again for each text size and language instead.
    """

    name: str
    endpoint: str
    reach: Callable[[Page], None]
    reloads: bool = True


def settled(page: Page) -> None:
    """Wait until htmx has swapped the screen in and moved focus to its question."""
    # (wait_for_function would poll with eval, which the kiosk's CSP rightly refuses.)
    expect(page.locator("h1")).to_be_focused()


def press(page: Page, selector: str, url: str | None = None) -> None:
    """Tap one button and wait for the next screen."""
    page.locator(selector).first.click()
    if url:
        page.wait_for_url(url)
    settled(page)


def choose(page: Page, value: str, url: str | None = None) -> None:
    press(page, f"main button[value='{value}']", url)


def type_keys(page: Page, text: str) -> None:
    for key in text:
        press(page, f"main button.key[value='{key}']")


def then(*steps: Callable[[Page], None]) -> Callable[[Page], None]:
    def reach(page: Page) -> None:
        for step in steps:
            step(page)

    return reach


def tile(value: str, url: str) -> Callable[[Page], None]:
    return lambda page: choose(page, value, url)


def welcome(page: Page) -> None:
    pass


def help_called(page: Page) -> None:
    press(page, ".navbar button.help", "**/help")


def not_found(page: Page) -> None:
    page.goto("/no-such-page")


def timeout_warning(page: Page) -> None:
    vitals_start(page)
    idle = int(page.locator("body").get_attribute("data-idle-seconds") or "120")
    page.clock.fast_forward(idle * 1000 + 500)
    page.locator("#timeout-warning").wait_for(state="visible")


def hold_the_card(page: Page) -> None:
    """Keep the demo's card unread: the screen's own reads (choice=auto) get the kiosk's own
    "not in yet" answer (204), so the screen is seen as it first appears. Aborting them
    instead shows as a failed load in the console. Touches still go through."""
    page.route("**/booking/card", lambda route: route.fulfill(status=204)
               if "choice=auto" in (route.request.post_data or "") else route.continue_())


# The cost and the card on one screen; the demo's card (a family of three) is in the slot.
booking_start = then(hold_the_card, tile("booking", "**/booking/"))
# With larger text its sentences come on pages; with normal text this address shows them all.
booking_start_page_2 = then(booking_start, lambda p: p.goto("/booking/?page=2"))
surname = then(booking_start, lambda p: choose(p, "typed", "**/you/surname"))
# Without holding it, the screen reads the card by itself: no tap.
card_who = tile("booking", "**/booking/card/who")


surname_error = then(surname, lambda p: press(p, "main button[value='ok']"))
first_name = then(
    surname,
    lambda p: type_keys(p, "DURAND"),
    lambda p: press(p, "main button[value='ok']", "**/you/first_name"),
)
birth_day = then(
    first_name,
    lambda p: type_keys(p, "JEANNE"),
    lambda p: press(p, "main button[value='ok']", "**/you/day"),
)
birth_month = then(birth_day, lambda p: choose(p, "15", "**/you/month"))
birth_year = then(birth_month, lambda p: choose(p, "3", "**/you/year"))
nir = then(
    birth_year,
    lambda p: type_keys(p, "1941"),
    lambda p: press(p, "main button[value='ok']", "**/you/nir"),
)
phone = then(nir, lambda p: press(p, "main button[value='skip']", "**/you/phone"))
is_it_you = then(phone, lambda p: press(p, "main button[value='skip']", "**/is-it-you"))
reason = then(is_it_you, lambda p: choose(p, "yes", "**/booking/reason"))
question = then(reason, lambda p: choose(p, "fever", "**/question/breathing"))
when = then(question, lambda p: press(p, "main a[href='/booking/time']", "**/booking/time"))
days = then(when, lambda p: choose(p, "days", "**/booking/days"))
times = then(days, lambda p: press(p, "main button[name='day']", "**/booking/day/*"))
doctor = then(when, lambda p: choose(p, "doctor", "**/booking/doctor"))


def answer_questions(page: Page) -> None:
    """Answer every question of the reason ("Non"), so the summary holds them all."""
    while "/booking/question/" in page.url:
        press(page, "main button[value='no']")


check = then(
    question,
    answer_questions,
    lambda p: p.wait_for_url("**/booking/time"),
    lambda p: press(p, "main button[value^='slot:']", "**/booking/check"),
)
done = then(check, lambda p: press(p, "main button.primary", "**/booking/done"))

def codes_open() -> None:
    """Staff lift any pause of code entry (SECURITY.md item 24): the tour's wrong tries add
    up at the demo's one unit, and each appointment screen starts with code entry open."""
    from kiosk.appointment import guessing

    with demo_database() as (database, _vault):
        guessing.lift(database, "test", utcnow())


def appointment_start(page: Page) -> None:
    codes_open()
    choose(page, "appointment", "**/appointment/")


appointment_code = then(appointment_start, lambda p: choose(p, "code", "**/appointment/code"))
appointment_code_error = then(
    appointment_code, lambda p: type_keys(p, "ZZZ"), lambda p: press(p, "main button[value='ok']")
)
appointment_scan = then(appointment_start, lambda p: choose(p, "scan", "**/appointment/scan"))


def appointment_card(page: Page) -> None:
    """The card screen as it first appears (before the reader reads the demo's card)."""
    appointment_start(page)
    page.route(
        "**/appointment/card",
        lambda route: route.fulfill(status=204)  # the kiosk's own "not in yet"
        if "choice=auto" in (route.request.post_data or "") else route.continue_(),
    )
    choose(page, "card", "**/appointment/card")


def ticket_in_hand(page: Page) -> None:
    """The code of a booked appointment typed: "Pour votre sécurité" comes next."""
    code = book_now()
    appointment_code(page)
    type_keys(page, code)
    press(page, "main button[value='ok']", "**/appointment/prove")


born_day = then(ticket_in_hand, lambda p: choose(p, "born", "**/appointment/born/day"))
born_month = then(born_day, lambda p: choose(p, "3", "**/appointment/born/month"))
born_year = then(born_month, lambda p: choose(p, "3", "**/appointment/born/year"))


def birth_date(page: Page, year: str) -> None:
    """From "Pour votre sécurité": 3 March, then ``year``, then Valider."""
    choose(page, "born", "**/appointment/born/day")
    choose(page, "3", "**/appointment/born/month")
    choose(page, "3", "**/appointment/born/year")
    type_keys(page, year)
    press(page, "main button[value='ok']")


def proven_by_birth_date(page: Page) -> None:
    """The second proof: the birth date every appointment of the tour was booked with."""
    birth_date(page, "1950")
    page.wait_for_url("**/appointment/view")
    settled(page)


def prove_card(page: Page) -> None:
    """The card as the second proof, before the reader reads the demo's card (someone else's:
    it would be refused)."""
    ticket_in_hand(page)
    page.route(
        "**/appointment/prove/card",
        lambda route: route.fulfill(status=204)  # the kiosk's own "not in yet"
        if "choice=auto" in (route.request.post_data or "") else route.continue_(),
    )
    choose(page, "card", "**/appointment/prove/card")


def wrong_birth_date(page: Page) -> None:
    """A birth date that is not the appointment's: the one answer, on the code keypad."""
    born_year(page)
    type_keys(page, "1951")
    press(page, "main button[value='ok']")
    expect(page.locator("main .error")).to_be_visible()
    settled(page)


def too_many(page: Page) -> None:
    """Three wrong tries in one visit: staff are called."""
    wrong_birth_date(page)
    for _try in range(2):
        code = book_now()
        type_keys(page, code)
        press(page, "main button[value='ok']", "**/appointment/prove")
        birth_date(page, "1951")
    page.wait_for_url("**/appointment/too-many")
    settled(page)


def codes_paused(page: Page) -> None:
    """Code entry paused for the unit: as after 20 wrong tries in an hour (the tests of
    SECURITY.md item 24 make them; the tour only needs the screen)."""
    from datetime import timedelta

    from kiosk.core.records import CodePause

    appointment_start(page)
    with demo_database() as (database, _vault), database.write() as db:
        db.add(CodePause(started_at=utcnow(), until=utcnow() + timedelta(minutes=15)))
    choose(page, "code", "**/appointment/paused")


def appointment_view(page: Page) -> None:
    ticket_in_hand(page)
    proven_by_birth_date(page)


def appointment_which(page: Page) -> None:
    mother, daughter = IDENTITIES["family"][:2]
    book_now(mother.nir, mother.surname, mother.first_name)
    book_now(daughter.nir, daughter.surname, daughter.first_name)
    appointment_start(page)
    choose(page, "card", "**/appointment/which")  # the demo's card is in: read at once


cancel_confirm = then(appointment_view, lambda p: choose(p, "cancel", "**/appointment/cancel"))
cancelled = then(cancel_confirm, lambda p: choose(p, "yes", "**/appointment/result"))
move_when = then(appointment_view, lambda p: choose(p, "move", "**/appointment/move"))
move_days = then(move_when, lambda p: choose(p, "days", "**/appointment/move/days"))
move_times = then(
    move_days, lambda p: press(p, "main button[name='day']", "**/appointment/move/day/*")
)
move_confirm = then(
    move_when, lambda p: press(p, "main button[value^='slot:']", "**/appointment/move/confirm")
)
moved = then(move_confirm, lambda p: choose(p, "yes", "**/appointment/result"))

EARLIEST = "main button[value^='slot:']"  # "Le plus tôt possible", the same doctor's first time


def offered_slot(page: Page) -> int:
    value = page.locator(EARLIEST).first.get_attribute("value") or ""
    return int(value.removeprefix("slot:"))


def book_slot(slot_id: int) -> None:
    """Someone else books this time, as another kiosk or the doctor's office would."""
    with demo_database() as (database, vault):
        service.book(database, vault, slot_id=slot_id,
                     identity=service.Identity("MARTINEZ", "Paul", date(1960, 1, 2)),
                     clinical=service.Clinical("other"), idempotency_key=f"browser-{next(_keys)}",
                     actor="test", now=utcnow())


def move_taken(page: Page) -> None:
    """The earliest time offered goes to someone else before the person touches it."""
    move_when(page)
    book_slot(offered_slot(page))
    press(page, EARLIEST)
    expect(page.locator("main .error")).to_be_visible()


def move_other_doctor(page: Page) -> None:
    """A forged choice: the offered button made to carry another doctor's free time (the
    screen never offers one)."""
    from sqlalchemy import select

    from kiosk.core.records import Slot

    move_when(page)
    with demo_database() as (database, _vault), database.read() as db:
        doctor = db.get(Slot, offered_slot(page)).practitioner_id
        other = next(slot.id for slot in db.scalars(
            select(Slot).where(Slot.practitioner_id != doctor, Slot.starts_at > utcnow())
            .order_by(Slot.starts_at)) if slots.is_free(db, slot.id, utcnow()))
    page.locator(EARLIEST).first.evaluate("(button, value) => { button.value = value; }",
                                          f"slot:{other}")
    press(page, EARLIEST)
    expect(page.locator("main .error")).to_be_visible()

vitals_start = tile("vitals", "**/vitals/")
vitals_step_1 = then(vitals_start, lambda p: choose(p, "go", "**/vitals/step/1"))
vitals_step_2 = then(vitals_step_1, lambda p: press(p, "main button.primary", "**/vitals/step/2"))
vitals_step_3 = then(vitals_step_2, lambda p: press(p, "main button.primary", "**/vitals/step/3"))
vitals_rest = then(vitals_step_3, lambda p: press(p, "main button.primary", "**/vitals/rest"))
vitals_measure = then(vitals_rest, lambda p: press(p, "main button.primary", "**/vitals/measure"))
vitals_stopped = then(vitals_measure, lambda p: press(p, "main button.end", "**/vitals/stopped"))


def wait_for(url: str) -> Callable[[Page], None]:
    """The screen moves on by itself (the cuff finished): wait for it."""

    def reach(page: Page) -> None:
        page.wait_for_url(url, timeout=20_000)
        settled(page)

    return reach


vitals_between = then(vitals_measure, wait_for("**/vitals/between"))
vitals_result = then(
    vitals_between,
    lambda p: press(p, "main button.primary", "**/vitals/measure"),
    wait_for("**/vitals/result"),
)
vitals_problem = then(vitals_start, lambda p: p.goto("/vitals/problem?what=loose_cuff"))

# The consultation: found by its code when it is time, then each step. The first consult
# screen is a whole page load (it brings call.js); the camera is Chromium's fake one.
_consulting: list[int] = []


def consult_start(page: Page) -> None:
    code, appointment_id = book_today()
    _consulting.append(appointment_id)
    appointment_code(page)
    type_keys(page, code)
    press(page, "main button[value='ok']", "**/appointment/prove")
    proven_by_birth_date(page)
    choose(page, "consult", "**/consult/tension")


consult_consent = then(consult_start, lambda p: choose(p, "no", "**/consult/accord"))
consult_declined = then(consult_consent, lambda p: choose(p, "no", "**/consult/sans-camera"))
consult_check = then(consult_consent, lambda p: choose(p, "yes", "**/consult/essai"))
consult_waiting = then(consult_check, lambda p: choose(p, "yes", "**/consult/attente"))


def consult_call(page: Page) -> None:
    consult_waiting(page)
    demo_signal(_consulting[-1], "doctor", "ring")  # the doctor calls
    page.wait_for_url("**/consult/appel", timeout=15_000)
    settled(page)


def consult_end(page: Page) -> None:
    consult_call(page)
    demo_signal(_consulting[-1], "doctor", "bye")  # the doctor hangs up
    page.wait_for_url("**/consult/fin", timeout=15_000)
    settled(page)


LONG_NOTE = (
    "Vous avez une bronchite. Ce n'est pas grave. Elle passe en une à deux semaines.\n"
    + "Buvez beaucoup d'eau, au moins un litre et demi par jour. Reposez-vous. "
    * 6
    + "\nSi la fièvre dure plus de trois jours, ou si vous avez du mal à respirer, appelez le "
    "cabinet ou le 15."
)
LONG_PRESCRIPTION = "\n".join(
    f"{n}. Paracétamol 1 g : un comprimé toutes les six heures si besoin, pas plus de "
    "quatre par jour." for n in range(1, 8)
)


def doctor_writes(page: Page) -> None:
    """The doctor writes a long note after the call: the end screen shows it on pages."""
    from sqlalchemy import select

    from kiosk.core.records import Appointment
    from kiosk.doctor import summary

    with demo_database() as (database, vault):
        with database.read() as db:
            appointment = db.scalar(select(Appointment).where(Appointment.id == _consulting[-1]))
            doctor_id = appointment.slot.practitioner_id
        summary.save(database, vault, _consulting[-1], doctor_id, LONG_NOTE, LONG_PRESCRIPTION,
                     "test", utcnow())
    page.locator(".note-text").first.wait_for(timeout=15_000)  # the screen checks every 3 s
    settled(page)


consult_letter = then(consult_end, doctor_writes)
consult_letter_next = then(consult_letter, lambda p: press(p, "main .pager a"))


def offer_help(page: Page) -> None:
    """Sophie presses "Aider" on this visit from the staff page (here, straight in the demo's
    database); the screen's poll then brings the question."""
    from sqlalchemy import select

    from kiosk.core.records import Account
    from kiosk.security.sessions import hash_token
    from kiosk.visit.assist import offer

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "kiosk")
    with demo_database() as (database, _vault):
        with database.read() as db:
            sophie = db.scalar(select(Account).where(Account.username == "sophie"))
        offer(database, sophie, hash_token(token)[:12], utcnow(), _vault)
    page.wait_for_url("**/assist/question")
    settled(page)


assist_question = then(vitals_start, offer_help)
assisted = then(assist_question, lambda p: press(p, "main button[value='yes']", "**/vitals/"))


SCREENS: tuple[Screen, ...] = (
    Screen("assist-question", "assist.question", assist_question),
    Screen("assisted-banner", "vitals.start", assisted),
    Screen("consult-tension", "consult.vitals_offer", consult_start),
    Screen("consult-consent", "consult.consent", consult_consent),
    Screen("consult-declined", "consult.declined", consult_declined),
    Screen("consult-check", "consult.check", consult_check),
    Screen("consult-waiting", "consult.waiting", consult_waiting),
    Screen("consult-call", "consult.call", consult_call),
    Screen("consult-end", "consult.end", consult_end),
    Screen("consult-letter", "consult.end", consult_letter),
    Screen("consult-letter-page-2", "consult.end", consult_letter_next),
    Screen("welcome", "welcome.index", welcome),
    Screen("appointment-start", "appointment.start", appointment_start),
    Screen("appointment-code", "appointment.code", appointment_code),
    Screen("appointment-code-error", "appointment.code", appointment_code_error, reloads=False),
    Screen("appointment-scan", "appointment.scan", appointment_scan),
    Screen("appointment-card", "appointment.card", appointment_card),
    Screen("appointment-which", "appointment.which", appointment_which),
    Screen("appointment-prove", "appointment.prove", ticket_in_hand),
    Screen("appointment-prove-card", "appointment.prove_card", prove_card),
    Screen("appointment-born-day", "appointment.born", born_day),
    Screen("appointment-born-month", "appointment.born", born_month),
    Screen("appointment-born-year", "appointment.born", born_year),
    Screen("appointment-wrong", "appointment.code", wrong_birth_date, reloads=False),
    Screen("appointment-too-many", "appointment.too_many", too_many),
    Screen("appointment-paused", "appointment.paused", codes_paused),
    Screen("appointment-view", "appointment.view", appointment_view),
    Screen("appointment-cancel", "appointment.cancel_confirm", cancel_confirm),
    Screen("appointment-cancelled", "appointment.result", cancelled),
    Screen("appointment-move", "appointment.move_when", move_when),
    Screen("appointment-move-days", "appointment.move_days", move_days),
    Screen("appointment-move-times", "appointment.move_times", move_times),
    Screen("appointment-move-confirm", "appointment.move_confirm", move_confirm),
    Screen("appointment-move-taken", "appointment.move_when", move_taken, reloads=False),
    Screen("appointment-move-other-doctor", "appointment.move_when", move_other_doctor,
           reloads=False),
    Screen("appointment-moved", "appointment.result", moved),
    Screen("vitals-start", "vitals.start", vitals_start),
    Screen("vitals-sit", "vitals.step", vitals_step_1),
    Screen("vitals-arm", "vitals.step", vitals_step_2),
    Screen("vitals-cuff", "vitals.step", vitals_step_3),
    Screen("vitals-rest", "vitals.rest", vitals_rest),
    Screen("vitals-measure", "vitals.measuring", vitals_measure, reloads=False),
    Screen("vitals-stopped", "vitals.stopped", vitals_stopped),
    Screen("vitals-between", "vitals.between", vitals_between),
    Screen("vitals-result", "vitals.result", vitals_result),
    Screen("vitals-problem", "vitals.problem", vitals_problem),
    Screen("help-called", "welcome.help_called", help_called),
    Screen("not-found", "(404)", not_found),
    Screen("timeout-warning", "(dialog)", timeout_warning, reloads=False),
    Screen("booking-cost-and-card", "booking.start", booking_start),
    Screen("booking-cost-and-card-page-2", "booking.start", booking_start_page_2),
    Screen("booking-card-who", "booking.card_who", card_who),
    Screen("booking-surname", "booking.typed", surname),
    Screen("booking-surname-error", "booking.typed", surname_error, reloads=False),
    Screen("booking-birth-day", "booking.typed", birth_day),
    Screen("booking-birth-month", "booking.typed", birth_month),
    Screen("booking-birth-year", "booking.typed", birth_year),
    Screen("booking-nir", "booking.typed", nir),
    Screen("booking-is-it-you", "booking.is_it_you", is_it_you),
    Screen("booking-reason", "booking.reason", reason),
    Screen("booking-question", "booking.question", question),
    Screen("booking-time", "booking.when", when),
    Screen("booking-days", "booking.days", days),
    Screen("booking-times", "booking.times", times),
    Screen("booking-doctor", "booking.doctor", doctor),
    Screen("booking-check", "booking.check", check),
    Screen("booking-done", "booking.done", done),
)

# GET endpoints that are not screens a person sees.
NOT_SCREENS = {"static", "health.healthz", "booking.qr", "booking.ics", "speech.wav",
               "booking.card",  # an older link: it sends to the first booking screen
               "assist.poll", "listen.timeout_prompt",
               "consult.signal"}


def is_patient_screen(endpoint: str) -> bool:
    """GET endpoints a patient sees: not files, probes, the FHIR API, or the portals."""
    return endpoint not in NOT_SCREENS and not endpoint.startswith(("fhir.", "doctor.", "staff."))
