"""Reading the Carte Vitale from a screen, for any journey: bounded waits, plain sentences."""

from __future__ import annotations

import time

from flask_babel import gettext as _

from kiosk.devices.service import manager
from kiosk.devices.service import state as device_state
from peripherals.errors import (
    CardRemoved,
    DeviceError,
    NoCard,
    NotAVitaleCard,
    PeripheralError,
)
from peripherals.models import CardContents

CARD_TIMEOUT = 8.0
# Someone who has just pushed the card in and tapped at once should not hear "no card":
# the reader takes a moment to notice it.
ARRIVAL_WAIT = 3.0


class CardProblem(Exception):
    """The card could not be read; ``message`` says why and what to do, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotInYet(Exception):
    """A background check found no card in the slot yet."""


def reader_works() -> bool:
    """True when the card reader is configured and answering."""
    return device_state("card") == "ok"


def reader_down_sentence() -> str:
    return _("Le lecteur de carte ne marche pas. Touchez « Je n'ai pas de carte ».")


def problem_sentence(error: PeripheralError) -> str:
    """What to tell the person for each way a read can fail."""
    if isinstance(error, NotAVitaleCard):
        return _("Cette carte n'est pas une carte Vitale. Reprenez-la.")
    if isinstance(error, CardRemoved):
        return _("Vous avez retiré la carte trop tôt. Remettez-la et attendez.")
    if isinstance(error, NoCard):
        return _("Je ne trouve pas de carte. Mettez-la dans la fente, la puce en premier.")
    if isinstance(error, DeviceError):
        return reader_down_sentence()
    return _("La carte n'a pas pu être lue. Réessayez, ou touchez « Je n'ai pas de carte ».")


def read_now(automatic: bool) -> CardContents:
    """Read the card in the slot. ``automatic``: a background check, which raises NotInYet
    rather than waiting when no card is in. Raises CardProblem with the sentence to show."""
    devices = manager()
    if devices is None or not reader_works():
        raise CardProblem(reader_down_sentence())
    if automatic and not devices.card_present():
        raise NotInYet()
    deadline = time.monotonic() + ARRIVAL_WAIT
    while not devices.card_present() and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        return devices.read_card(timeout=CARD_TIMEOUT)  # type: ignore[no-any-return]
    except PeripheralError as error:
        raise CardProblem(problem_sentence(error)) from error


def htmx_outcome(outcome: object) -> object:
    """Turn a view's answer to a background check into what htmx needs: a redirect header for
    a redirect, the page swapped in place of the screen for an error."""
    from werkzeug.wrappers import Response

    if isinstance(outcome, Response) and outcome.status_code in (301, 302, 303):
        return Response(status=204, headers={"HX-Redirect": outcome.headers["Location"]})
    if isinstance(outcome, tuple):
        page, status = outcome
        return Response(page, status=status,
                        headers={"HX-Retarget": "#screen", "HX-Reswap": "innerHTML"})
    return outcome
