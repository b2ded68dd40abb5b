"""Carte Vitale 2 read sequence (DEVICES.md §3) over any APDU ``Transmit``.

Only public files are read: identities in the master file and the NIRs in the
VITALE application. Raw file contents never leave this module; callers get
:class:`~peripherals.models.CardContents`.
"""

from __future__ import annotations

import datetime as dt

from stdnum.exceptions import ValidationError
from stdnum.fr import nir as nir_number

from peripherals.apdu import SW_OK, Transmit, exchange, iter_tlv
from peripherals.errors import CardUnreadable, InvalidNir, NotAVitaleCard
from peripherals.models import CardContents, CardHolder

SELECT_MF = bytes.fromhex("00A40000023F00")
VITALE_AID = bytes.fromhex("D250000002564954414C45")
SELECT_VITALE = bytes.fromhex("00A404000B") + VITALE_AID
READ_SFI_2 = bytes.fromhex("00B0820000")  # short file 2 from offset 0, Le = 256

RECORD_TAG = 0x65
SURNAME_TAG, FIRST_NAME_TAG, BIRTH_DATE_TAG = 0x80, 0x81, 0x82
NIR_TAG = 0x93

CHUNK = 256
MAX_FILE = 8 * CHUNK  # a Vitale file is far smaller; bounds a card that never ends
END_OF_FILE = (0x6282, 0x6B00)  # "end reached" / "offset beyond the end"


def read_card(transmit: Transmit) -> CardContents:
    """Run the read sequence and return every beneficiary, NIR keys checked.

    Raises NotAVitaleCard if the card lacks the master file or the VITALE
    application, CardUnreadable for malformed data, InvalidNir for a bad key.
    """
    _select(transmit, SELECT_MF)
    identities = read_file(transmit)
    _select(transmit, SELECT_VITALE)
    nirs = read_file(transmit)
    return CardContents(beneficiaries=pair_records(identities, nirs))


def _select(transmit: Transmit, command: bytes) -> None:
    _, sw = exchange(transmit, command)
    if sw != SW_OK:
        raise NotAVitaleCard(f"SELECT {command[5:].hex()} answered {sw:04X}")


def read_file(transmit: Transmit) -> bytes:
    """Read short file 2 of the current directory, in 256-byte chunks if it is long."""
    data, sw = exchange(transmit, READ_SFI_2)
    if sw != SW_OK:
        raise NotAVitaleCard(f"READ BINARY answered {sw:04X}")
    content = bytearray(data)
    # A full chunk means there may be more; the file read by SFI is now the
    # current one, so the rest is read by plain offset.
    while len(data) == CHUNK and len(content) < MAX_FILE:
        offset = len(content)
        command = bytes([0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, 0x00])
        data, sw = exchange(transmit, command)
        if sw in END_OF_FILE:
            break
        if sw != SW_OK:
            raise CardUnreadable(f"READ BINARY at {offset} answered {sw:04X}")
        content += data
    return bytes(content)


def _records(content: bytes, what: str) -> list[dict[int, bytes]]:
    records = []
    for tag, value in iter_tlv(content):
        if tag == RECORD_TAG:
            records.append(dict(iter_tlv(value)))
    if not records:
        raise CardUnreadable(f"no {what} record on the card")
    return records


def _text(fields: dict[int, bytes], tag: int) -> str:
    # Vitale text is 8-bit ISO-8859-1 (upper case, mostly without accents);
    # latin-1 cannot fail, and padding is stripped.
    return fields.get(tag, b"").decode("latin-1").strip(" \x00\xff")


def parse_birth_date(raw: str) -> dt.date | None:
    """Turn ``YYYYMMDD`` into a date; None for dates that are not on the calendar.

    Some people born abroad have day or month ``00`` on their card: that is
    data, not an error, so it gives None rather than raising.
    """
    if len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def checked_nir(raw: str) -> str:
    """Return the compact 15-character NIR, or raise InvalidNir if its key is wrong."""
    try:
        return str(nir_number.validate(raw))
    except ValidationError as exc:
        raise InvalidNir(f"NIR fails validation: {type(exc).__name__}") from exc


def pair_records(identities: bytes, nirs: bytes) -> tuple[CardHolder, ...]:
    """Match identity records with NIR records, one per beneficiary, in card order."""
    people = _records(identities, "identity")
    numbers = _records(nirs, "NIR")
    if len(people) != len(numbers):
        raise CardUnreadable(f"{len(people)} identities but {len(numbers)} NIRs")
    holders = []
    for person, number in zip(people, numbers, strict=True):
        surname = _text(person, SURNAME_TAG)
        if not surname:
            raise CardUnreadable("a beneficiary has no surname")
        holders.append(
            CardHolder(
                surname=surname,
                first_name=_text(person, FIRST_NAME_TAG),
                birth_date=parse_birth_date(_text(person, BIRTH_DATE_TAG)),
                nir=checked_nir(_text(number, NIR_TAG)),
            )
        )
    return tuple(holders)
