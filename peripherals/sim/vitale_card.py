"""A simulated Carte Vitale 2: the public files and the T=0 habits of the real card.

The card answers SELECT of the VITALE application with ``61xx`` (so the host must
GET RESPONSE) and READ BINARY with Le=00 with ``6Cxx`` (so the host must resend
with the right Le), as T=0 cards do. Identities are configurable; the presets
cover the cases the kiosk must handle.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.fr import nir as nir_number

from peripherals.apdu import encode_tlv
from peripherals.vitale import (
    BIRTH_DATE_TAG,
    FIRST_NAME_TAG,
    NIR_TAG,
    RECORD_TAG,
    SURNAME_TAG,
    VITALE_AID,
)

ATR = bytes.fromhex("3B6500009C11010103")  # T=0, five historical bytes, as a Vitale 2
FCI = bytes.fromhex("6F0D840B") + VITALE_AID


@dataclass(frozen=True, slots=True)
class SimBeneficiary:
    """One person on the simulated card; ``birth_date`` is ``YYYYMMDD`` as stored."""

    surname: str
    first_name: str
    birth_date: str
    nir: str


def with_key(first_13: str) -> str:
    """Append the right two-digit key to the first 13 NIR characters."""
    return first_13 + nir_number.calc_check_digits(first_13)


_MOTHER = SimBeneficiary("MARTIN", "JEANNE", "19530715", "253072B07300470")
IDENTITIES: dict[str, tuple[SimBeneficiary, ...]] = {
    "normal": (SimBeneficiary("DUPONT", "ANDRÉ", "19480302", with_key("1480375056123")),),
    "family": (
        _MOTHER,
        SimBeneficiary("MARTIN", "LÉA", "20150404", with_key("2150469123045")),
        SimBeneficiary("MARTIN", "HUGO", "20180910", with_key("1180969123046")),
    ),
    "corsican": (_MOTHER,),
    "bad_key": (SimBeneficiary("MARTIN", "JEANNE", "19530715", "253072B07300471"),),
}
SCENARIOS = (*IDENTITIES, "not_vitale", "pulled_out")


def _file(records: list[bytes]) -> bytes:
    return b"".join(encode_tlv(RECORD_TAG, record) for record in records)


def identity_file(people: tuple[SimBeneficiary, ...]) -> bytes:
    """Master file, short file 2: one 0x65 record per person (surname, first name, birth)."""
    return _file(
        [
            encode_tlv(SURNAME_TAG, p.surname.encode("latin-1"))
            + encode_tlv(FIRST_NAME_TAG, p.first_name.encode("latin-1"))
            + encode_tlv(BIRTH_DATE_TAG, p.birth_date.encode("ascii"))
            for p in people
        ]
    )


def nir_file(people: tuple[SimBeneficiary, ...]) -> bytes:
    """VITALE application, short file 2: one 0x65 record per person with the NIR."""
    return _file([encode_tlv(NIR_TAG, p.nir.encode("ascii")) for p in people])


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


class VitaleCard:
    """APDU-level behaviour of the card; ``transmit`` takes a command, returns data + SW."""

    def __init__(
        self,
        people: tuple[SimBeneficiary, ...] = IDENTITIES["normal"],
        *,
        vitale: bool = True,
    ) -> None:
        self.atr = ATR
        self.vitale = vitale
        self.files = {"MF": identity_file(people), "VITALE": nir_file(people)}
        self.commands: list[bytes] = []
        self.reset()

    @classmethod
    def from_scenario(cls, scenario: str) -> VitaleCard:
        """Build the card for a scenario name (see :data:`SCENARIOS`)."""
        if scenario == "not_vitale":
            return cls(vitale=False)
        if scenario == "pulled_out":
            return cls(IDENTITIES["family"])
        if scenario not in IDENTITIES:
            raise ValueError(f"unknown card scenario {scenario!r}; choose from {SCENARIOS}")
        return cls(IDENTITIES[scenario])

    def reset(self) -> None:
        """Power-on state: nothing selected, nothing pending."""
        self.directory = "MF"
        self.current: bytes | None = None
        self.pending = b""

    def transmit(self, apdu: bytes) -> bytes:
        """Answer one command APDU."""
        self.commands.append(apdu)
        if len(apdu) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return _sw(0x6E00)
        if ins == 0xA4:
            return self._select(apdu)
        if ins == 0xC0:
            return self._get_response(apdu)
        if ins == 0xB0:
            return self._read_binary(p1, p2, apdu[4] if len(apdu) == 5 else None)
        return _sw(0x6D00)

    def _select(self, apdu: bytes) -> bytes:
        target = apdu[5:]
        if not self.vitale:
            return _sw(0x6A82)
        if apdu[2] == 0x00 and target == b"\x3f\x00":
            self.directory, self.current = "MF", None
            return _sw(0x9000)
        if apdu[2] == 0x04 and target == VITALE_AID:
            self.directory, self.current = "VITALE", None
            self.pending = FCI
            return _sw(0x6100 | len(FCI))
        return _sw(0x6A82)

    def _get_response(self, apdu: bytes) -> bytes:
        if not self.pending or len(apdu) != 5:
            return _sw(0x6985)
        wanted = apdu[4] or 256
        data, self.pending = self.pending[:wanted], self.pending[wanted:]
        return data + _sw(0x6100 | min(len(self.pending), 0xFF) if self.pending else 0x9000)

    def _read_binary(self, p1: int, p2: int, le: int | None) -> bytes:
        if le is None:
            return _sw(0x6700)
        if p1 & 0x80:
            if p1 & 0x1F != 2:
                return _sw(0x6A82)
            self.current, offset = self.files[self.directory], p2
        elif self.current is None:
            return _sw(0x6986)  # no current file
        else:
            offset = (p1 << 8) | p2
        content = self.current
        if offset >= len(content):
            return _sw(0x6B00)
        available = len(content) - offset
        wanted = le or 256
        if wanted > available:
            return _sw(0x6C00 | available)  # T=0: "wrong length, use this Le"
        return content[offset : offset + wanted] + _sw(0x9000)
