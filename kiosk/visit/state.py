"""The visit's state: the one module that reads and writes the visit's keys in the session.

The session itself is server-side (``kiosk.security.sessions``); this module gives it a shape.
``load()`` returns a typed copy to read; ``changing()`` yields one to change and saves what
changed when the block ends. ``Visit.plain()`` is what says nothing about the person (the
journey, the language, the text size...); ``Visit.personal()`` is everything else (name, birth
date, NIR, phone, reason, answers, readings, the appointment's code): the part to encrypt.

The booking draft, the vitals progress and the consultation's progress are dataclasses too
(``BookingDraft``, ``VitalsProgress``, ``ConsultProgress``), stored under their keys as the
plain dicts they always were: ``from_stored()`` reads one, ``stored()`` writes it back.

Each field keeps the session key it always had, and each inner dict its keys, so a visit
started before an upgrade goes on.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, TypedDict, TypeVar

from flask import session

# Field of ``ProvenAppointment`` -> session key.
APPOINTMENT_KEYS = {
    "code": "appointment_code",
    "by_card": "appointment_by_card",
    "typed": "appointment_typed",
    "choices": "appointment_choices",
    "result": "appointment_result",
    "printed": "appointment_printed",
    "move_to": "move_to",
    "ticket": "appointment_ticket",
    "proof": "appointment_proof",
    "born": "appointment_born",
    "tries": "appointment_tries",
}

# How far the proof went (SECURITY.md item 23): the ticket in hand (its code typed or its QR
# code scanned) proves nothing personal; the card, the birth date or a helper prove the person.
TICKET = "ticket"
PROVEN = "proven"


@dataclass
class ProvenAppointment:
    """The appointment the person proved, and what they did with it.

    ``code`` is set only once the person is proven (``proof == PROVEN``): the card, the birth
    date typed, or a helper in assisted mode. Before that, ``ticket`` holds what the ticket gave
    (the code typed, or ``token:<token>`` from its QR code), unchecked.
    """

    code: str | None = None
    by_card: bool | None = None  # the words on a new ticket follow the way it was found
    typed: str | None = None  # the code typed so far on the keypad
    choices: list[str] | None = None  # several appointments on the card: their codes
    result: str | None = None  # "cancelled", "moved"
    printed: str | None = None  # the new ticket's printing outcome
    move_to: int | None = None  # the slot chosen to move to, before it is confirmed
    ticket: str | None = None  # the ticket in hand: the code typed, or "token:<token>" scanned
    proof: str | None = None  # TICKET or PROVEN
    born: dict[str, str] | None = None  # the birth date typed as the second proof, so far
    tries: int | None = None  # refused tries in this visit (SECURITY.md item 24)

    def proves(self, code: str) -> bool:
        """Whether the person proved the appointment with this code."""
        return self.proof == PROVEN and self.code == code


_Part = TypeVar("_Part", bound="_Stored")


@dataclass
class _Stored:
    """A part of the visit kept under one session key as a dict of its fields (None: left out)."""

    @classmethod
    def from_stored(cls: type[_Part], data: Any) -> _Part:
        """The part from what the session holds (keys it does not know are left behind)."""
        known = {f.name for f in fields(cls)}
        values = data if isinstance(data, dict) else {}
        return cls(**{name: copy.deepcopy(value) for name, value in values.items()
                      if name in known and value is not None})

    def stored(self) -> dict[str, Any]:
        """The dict the session keeps: the fields that are set."""
        return {f.name: copy.deepcopy(getattr(self, f.name))
                for f in fields(self)
                if getattr(self, f.name) is not None}


class SealedIdentity(TypedDict):
    """Who is booking, as the draft keeps it: NIR and phone encrypted with the vault."""

    surname: str
    first_name: str
    birth_date: str  # ISO date
    sex: str | None
    source: str  # "card" or "typed"
    nir: str | None  # sealed
    phone: str | None  # sealed


class CardHolder(TypedDict):
    """One person the Carte Vitale holds."""

    surname: str
    first_name: str
    birth_date: str | None  # ISO date; None when the card has none (day or month 00)
    nir: str  # sealed


@dataclass
class BookingDraft(_Stored):
    """The booking in progress (kiosk.booking.draft reads and writes it)."""

    typed: dict[str, str] = field(default_factory=dict)  # what is typed, key by key, per field
    answers: dict[str, bool] = field(default_factory=dict)  # question -> yes or no
    card: list[CardHolder] | None = None  # the people on the card read
    typed_from_card: bool | None = None  # the fields being typed came from a card
    identity: SealedIdentity | None = None
    identity_confirmed: bool | None = None  # "Oui, c'est moi"
    reason: str | None = None
    doctor_id: int | None = None  # a doctor chosen; None: any
    slot_id: int | None = None
    idempotency_key: str | None = None  # one per attempt to confirm
    code: str | None = None  # the booked appointment's code
    printed: str | None = None  # the ticket's printing outcome (kiosk.devices.printing.Kind)


@dataclass
class VitalsProgress(_Stored):
    """Measuring blood pressure: the readings so far, the failures, then the result."""

    readings: list[list[int]] = field(default_factory=list)  # [systolic, diastolic, pulse]
    failures: int = 0
    irregular: bool | None = None  # what the cuff noticed across the readings
    moved: bool | None = None
    result: list[int] | None = None  # the kept result: [systolic, diastolic, pulse]
    result_id: int | None = None
    taken_at: str | None = None  # ISO instant, printed with the result
    shared: bool | None = None  # attached to an appointment (the doctor sees it)
    noticed: dict[str, bool] | None = None  # {"irregular": ..., "moved": ...} of the result
    printed: str | None = None  # the result ticket's printing outcome


@dataclass
class ConsultProgress(_Stored):
    """The checked-in video consultation."""

    id: int | None = None  # the appointment's id
    vitals: bool | None = None  # the person chose to measure first
    consent: bool | None = None
    end_at: str | None = None  # ISO instant the end screen first showed
    printed: bool | None = None  # the doctor's summary was printed


@dataclass
class Visit:
    """Everything the kiosk remembers about the visit on screen."""

    # plain: nothing here says who the person is or why they came
    journey: str | None = None  # "booking", "appointment", "vitals", "consult", "help"
    lang: str | None = None
    text_size: int | None = None
    volume: int | None = None
    speech_rate: int | None = None
    screen: str | None = None  # the current screen, as a local path to GET it again (stored
    # sealed all the same: a path such as /booking/question/fever_days tells the reason)
    busy_until: str | None = None  # ISO instant: the idle warning keeps away until then
    wait: dict[str, Any] | None = None  # a countdown in progress: {name, until}
    assist: dict[str, Any] | None = None  # the staff member helping, with the person's yes
    # personal
    help_from: str | None = None  # the screen where help was asked
    booking: BookingDraft | None = None  # the booking draft (kiosk.booking.draft)
    vitals: VitalsProgress | None = None  # readings and failures (kiosk.vitals)
    consult: ConsultProgress | None = None  # the checked-in consultation (kiosk.consult)
    appointment: ProvenAppointment = field(default_factory=ProvenAppointment)

    PLAIN = ("journey", "lang", "text_size", "volume", "speech_rate", "screen", "busy_until",
             "wait", "assist")

    # What the session store keeps in clear (KioskSessionInterface's clear_keys): the plain
    # part, but the screen's path -- "/booking/question/fever_days" tells why the person came.
    CLEAR = frozenset(PLAIN) - {"screen"}

    def plain(self) -> dict[str, Any]:
        """The session keys that say nothing about the person, with their values."""
        return {name: getattr(self, name) for name in self.PLAIN}

    def personal(self) -> dict[str, Any]:
        """The session keys that are health or identity data, with their values."""
        found: dict[str, Any] = {"help_from": self.help_from}
        for name in PARTS:
            value = getattr(self, name)
            found[name] = None if value is None else value.stored()
        for name, key in APPOINTMENT_KEYS.items():
            found[key] = getattr(self.appointment, name)
        return found

    def to_dict(self) -> dict[str, Any]:
        """Session key -> value, for every part of the state (None: not set)."""
        return {**self.plain(), **self.personal()}


_VISIT_FIELDS = tuple(f.name for f in fields(Visit) if f.name != "appointment")
# Field of ``Visit`` -> the dataclass its dict is read into.
PARTS: dict[str, type[_Stored]] = {"booking": BookingDraft, "vitals": VitalsProgress,
                                   "consult": ConsultProgress}


Data = MutableMapping[str, Any]


def load(data: Data | None = None) -> Visit:
    """A copy of the visit's state: changing it changes nothing until saved.

    ``data``: another visit's stored session (the staff page lists them); else this request's.
    """
    source: Data = session if data is None else data
    values: dict[str, Any] = {name: copy.deepcopy(source.get(name)) for name in _VISIT_FIELDS}
    for name, part in PARTS.items():
        stored = source.get(name)
        values[name] = part.from_stored(stored) if isinstance(stored, dict) else None
    appointment = ProvenAppointment(**{name: copy.deepcopy(source.get(key))
                                       for name, key in APPOINTMENT_KEYS.items()})
    return Visit(**values, appointment=appointment)


def save(visit: Visit, before: Visit | None = None, data: Data | None = None) -> None:
    """Write the parts of ``visit`` that differ from ``before`` (or from what is stored)."""
    target: Data = session if data is None else data
    old = (before or load(target)).to_dict()
    for key, value in visit.to_dict().items():
        if value == old[key] and (value is None) == (key not in target):
            continue
        if value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)


@contextmanager
def changing(data: Data | None = None) -> Iterator[Visit]:
    """``with changing() as visit: visit.journey = "vitals"``: saved when the block ends."""
    before = load(data)
    visit = copy.deepcopy(before)
    yield visit
    save(visit, before, data)


def chosen_language() -> str | None:
    """The language chosen on screen in this visit, if any (kiosk.core.i18n asks)."""
    return load().lang


def started() -> bool:
    """Whether a journey has begun in this visit."""
    return bool(session.get("journey"))


def booking_draft() -> BookingDraft:
    """This visit's booking draft, a copy to change (stored empty on first use)."""
    draft = load().booking
    if draft is None:
        draft = BookingDraft()
        save_booking(draft)
    return draft


def save_booking(draft: BookingDraft) -> None:
    """Store the booking draft back."""
    update(booking=draft)


def vitals_progress() -> VitalsProgress:
    """This visit's vitals progress, a copy to change (none yet: no reading, no failure)."""
    return load().vitals or VitalsProgress()


def consult_progress() -> ConsultProgress:
    """This visit's consultation progress, a copy to change (none yet: not checked in)."""
    return load().consult or ConsultProgress()


def update(**values: Any) -> None:
    """Set some fields of the visit (None forgets one): ``update(journey="vitals")``."""
    with changing() as visit:
        for name, value in values.items():
            if name not in _VISIT_FIELDS:
                raise AttributeError(name)
            setattr(visit, name, value)


def update_appointment(**values: Any) -> None:
    """Set some fields of the proven appointment (None forgets one)."""
    with changing() as visit:
        for name, value in values.items():
            if name not in APPOINTMENT_KEYS:
                raise AttributeError(name)
            setattr(visit.appointment, name, value)


def forget_helper(data: Data | None = None) -> None:
    """Assisted mode ends: the banner goes, and the staff member may no longer act."""
    with changing(data) as visit:
        visit.assist = None
