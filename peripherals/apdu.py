"""ISO 7816 helpers: T=0 exchanges and BER-TLV parsing, independent of PC/SC.

A ``Transmit`` is any function sending one command APDU and returning the raw
response (data + SW1 SW2); the PC/SC reader supplies one, tests supply fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from peripherals.errors import CardUnreadable

Transmit = Callable[[bytes], bytes]

SW_OK = 0x9000
MAX_T0_ROUNDS = 8  # bounds GET RESPONSE chains from a misbehaving card


def split_response(response: bytes) -> tuple[bytes, int]:
    """Split a raw response into (data, status word); CardUnreadable if shorter than 2 bytes."""
    if len(response) < 2:
        raise CardUnreadable(f"card response too short: {len(response)} bytes")
    return response[:-2], int.from_bytes(response[-2:], "big")


def exchange(transmit: Transmit, apdu: bytes) -> tuple[bytes, int]:
    """Send ``apdu`` with T=0 handling and return (data, final status word).

    ``61xx``: the card has xx bytes waiting, fetched with GET RESPONSE (Le=xx).
    ``6Cxx``: the Le was wrong; the same command is sent again with Le=xx.
    Data from chained GET RESPONSEs is concatenated.
    """
    collected = bytearray()
    command = apdu
    for _ in range(MAX_T0_ROUNDS):
        data, sw = split_response(transmit(command))
        collected += data
        sw1, sw2 = sw >> 8, sw & 0xFF
        if sw1 == 0x61:
            command = bytes([apdu[0], 0xC0, 0x00, 0x00, sw2])
        elif sw1 == 0x6C and len(command) == 5:
            # Resend the last (case 2) command with the length the card wants.
            command = command[:4] + bytes([sw2])
        else:
            return bytes(collected), sw
    raise CardUnreadable("card kept asking for more T=0 exchanges")


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a BER length at ``pos``; return (length, position after it)."""
    if pos >= len(data):
        raise CardUnreadable("TLV length missing")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count == 0 or count > 2 or pos + 1 + count > len(data):
        raise CardUnreadable(f"unsupported TLV length byte {first:#04x}")
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def iter_tlv(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (tag, value) for each one-byte-tag TLV in ``data``.

    Padding bytes ``00`` and ``FF`` between objects are skipped (cards pad their
    files); a value running past the end raises CardUnreadable.
    """
    pos = 0
    while pos < len(data):
        tag = data[pos]
        if tag in (0x00, 0xFF):
            pos += 1
            continue
        if tag & 0x1F == 0x1F:
            raise CardUnreadable(f"multi-byte TLV tag {tag:#04x} not expected here")
        length, pos = read_length(data, pos + 1)
        if pos + length > len(data):
            raise CardUnreadable("TLV value runs past the end of the file")
        yield tag, data[pos : pos + length]
        pos += length


def encode_tlv(tag: int, value: bytes) -> bytes:
    """Encode one TLV with a BER length (inverse of :func:`iter_tlv`, for simulators)."""
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n <= 0xFF:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82]) + n.to_bytes(2, "big")
    return bytes([tag]) + length + value
