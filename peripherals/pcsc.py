"""Health-card reader through pcscd, using pyscard's low-level ``scard`` API.

The low-level API is used so that this class owns its one PC/SC context and
releases it deterministically (pyscard's high-level connections release theirs
in ``__del__``). Each pyscard status code is mapped to our exception tree:
pcscd down or reader gone -> NoReader, card pulled out -> CardRemoved.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from smartcard import scard
from smartcard.pcsc.PCSCExceptions import BaseSCardException
from smartcard.System import readers as pyscard_readers

from peripherals import vitale
from peripherals.errors import CardRemoved, CardUnreadable, NoCard, NoReader
from peripherals.models import CardContents

log = logging.getLogger(__name__)

AUTO = "auto"

# A cheap reader or a wobbly card contact fails the odd transmit.
_TRANSIENT = {
    scard.SCARD_F_COMM_ERROR,
    scard.SCARD_E_NOT_TRANSACTED,
    scard.SCARD_W_UNRESPONSIVE_CARD,
    scard.SCARD_E_TIMEOUT,
}
_CARD_GONE = {
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_RESET_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
}
_READER_GONE = {
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_SERVICE_STOPPED,
    scard.SCARD_E_NO_READERS_AVAILABLE,
    scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_READER_UNAVAILABLE,
    scard.SCARD_E_INVALID_HANDLE,
}


def _why(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult)} ({hresult & 0xFFFFFFFF:#010x})"


def list_readers() -> list[str]:
    """Names of the PC/SC readers pcscd knows; NoReader if pcscd cannot be reached."""
    try:
        return [str(reader) for reader in pyscard_readers()]
    except BaseSCardException as exc:  # EstablishContextException when pcscd is down
        raise NoReader(f"pcscd unreachable: {exc}") from exc


@dataclass(frozen=True, slots=True)
class PcscTiming:
    """Retry policy for flaky transmits, and patience for removal to be reported."""

    transmit_retries: int = 3
    retry_delay: float = 0.05
    removal_grace: float = 1.5  # how long a failing card may take to be reported gone


class PcscCardReader:
    """A PC/SC reader chosen by name, or the first one when the setting is ``auto``."""

    def __init__(self, reader: str = AUTO, *, timing: PcscTiming | None = None) -> None:
        self.setting = reader or AUTO
        self.timing = timing or PcscTiming()
        self._context: int | None = None
        self._name = ""

    @property
    def reader_name(self) -> str:
        """Name of the reader in use (empty until opened)."""
        return self._name

    def open(self) -> None:
        """Connect to pcscd and find the reader; NoReader if either is missing."""
        if self._context is not None:
            return
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise NoReader(f"pcscd unreachable: {_why(hresult)}")
        self._context = context
        try:
            self._name = self._resolve(context)
        except NoReader:
            self.close()
            raise

    def _resolve(self, context: int) -> str:
        hresult, names = scard.SCardListReaders(context, [])
        if hresult != scard.SCARD_S_SUCCESS or not names:
            raise NoReader(f"no card reader: {_why(hresult)}")
        if self.setting == AUTO:
            return str(names[0])
        if self.setting not in names:
            raise NoReader(f"reader {self.setting!r} not found among {names}")
        return self.setting

    def close(self) -> None:
        """Release the PC/SC context; never raises."""
        context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def __enter__(self) -> PcscCardReader:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _live_context(self) -> int:
        if self._context is None:
            raise NoReader("card reader is not open")
        return self._context

    def card_present(self) -> bool:
        """True when a card sits in the reader; NoReader if pcscd or the reader went away."""
        context = self._live_context()
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(self._name, scard.SCARD_STATE_UNAWARE)]
        )
        if hresult != scard.SCARD_S_SUCCESS:
            self.close()
            raise NoReader(f"lost the card reader: {_why(hresult)}")
        state = states[0][1]
        if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            self.close()
            raise NoReader(f"reader {self._name!r} disappeared")
        # A mute card (upside down, dirty) still counts as present: the person put
        # something in, and reading it will say plainly that it cannot be read.
        return bool(state & scard.SCARD_STATE_PRESENT)

    def read(self) -> CardContents:
        """Read every beneficiary from the card (see :func:`peripherals.vitale.read_card`).

        Raises NoCard, NotAVitaleCard, CardRemoved, CardUnreadable, InvalidNir or
        NoReader.
        """
        context = self._live_context()
        hresult, card, protocol = scard.SCardConnect(
            context,
            self._name,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._connect_error(hresult)
        pci = scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0

        def transmit(apdu: bytes) -> bytes:
            return self._transmit(card, pci, apdu)

        try:
            return vitale.read_card(transmit)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def _connect_error(self, hresult: int) -> Exception:
        if hresult in _CARD_GONE:
            return NoCard(f"no card to connect to: {_why(hresult)}")
        if hresult in _READER_GONE:
            self.close()
            return NoReader(f"lost the card reader: {_why(hresult)}")
        return CardUnreadable(f"cannot connect to the card: {_why(hresult)}")

    def _transmit(self, card: int, pci: int, apdu: bytes) -> bytes:
        hresult = scard.SCARD_S_SUCCESS
        for attempt in range(self.timing.transmit_retries + 1):
            hresult, response = scard.SCardTransmit(card, pci, list(apdu))
            if hresult == scard.SCARD_S_SUCCESS and len(response) >= 2:
                return bytes(response)
            if hresult == scard.SCARD_S_SUCCESS:
                # vpcd (and some readers) "succeed" with no bytes when the card
                # vanishes mid-command: treat it as a failed transmit.
                hresult = scard.SCARD_F_COMM_ERROR
            if hresult in _CARD_GONE:
                raise CardRemoved(f"card removed during the read: {_why(hresult)}")
            if hresult in _READER_GONE:
                raise NoReader(f"lost the card reader during the read: {_why(hresult)}")
            log.warning("pcsc: transmit attempt %d failed: %s", attempt + 1, _why(hresult))
            if hresult not in _TRANSIENT:
                break
            time.sleep(self.timing.retry_delay)
        # A card pulled out first shows up as communication errors; the reader
        # reports it gone a moment later.
        if self._card_went_away():
            raise CardRemoved(f"card removed during the read: {_why(hresult)}")
        raise CardUnreadable(f"transmit kept failing: {_why(hresult)}")

    def _card_went_away(self) -> bool:
        until = time.monotonic() + self.timing.removal_grace
        while True:
            if not self.card_present():
                return True
            if time.monotonic() >= until:
                return False
            time.sleep(0.05)
