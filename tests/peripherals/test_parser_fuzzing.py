"""Hypothesis fuzzing of every parser: only domain exceptions, and always an end.

Inputs are bounded and every parser loop is bounded, so each example is quick;
the module-wide timeout turns a hang into a failure rather than a stuck suite.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peripherals import apdu, vitale
from peripherals import suntech_protocol as proto
from peripherals.errors import CardError, CardUnreadable, InvalidNir, ProtocolError
from peripherals.printer import decode_online, decode_paper, is_status_byte
from peripherals.scanner import LineDecoder
from peripherals.sim.printer_device import PrinterDevice
from peripherals.sim.suntech_device import CommandDecoder, SunTechDevice
from peripherals.sim.vitale_card import (
    SimBeneficiary,
    VitaleCard,
    identity_file,
    nir_file,
    with_key,
)

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(
    max_examples=300,
    deadline=None,  # wall-clock limits flake on a loaded machine; the timeout above bounds it
    database=None,  # leave no .hypothesis directory behind
    suppress_health_check=[HealthCheck.too_slow],
)
WHEN = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
chunks = st.lists(st.binary(max_size=80), max_size=12)
# Streams that often contain start bytes and plausible lengths, not just noise.
module_bytes = st.lists(
    st.one_of(st.sampled_from([0x3E, 0x04, 0x05, 0x18, 0x4F, 0x4B]), st.integers(0, 255)),
    max_size=300,
).map(bytes)


@FUZZ
@given(module_bytes, st.integers(1, 40))
def test_frame_decoder_only_yields_checked_frames(stream: bytes, cut: int) -> None:
    whole = proto.FrameDecoder().feed(stream)
    decoder = proto.FrameDecoder()
    pieces = []
    for i in range(0, len(stream), cut):
        pieces += decoder.feed(stream[i : i + cut])
    assert pieces == whole  # how the bytes were split does not matter
    for frame in whole:
        assert frame[0] == proto.MODULE_START and frame[1] == len(frame)
        assert sum(frame) % 256 == 0 and len(frame) <= proto.MAX_FRAME
    assert len(decoder._buffer) < proto.MAX_FRAME  # memory stays bounded


@FUZZ
@given(st.binary(max_size=40))
def test_frame_parsers_raise_only_protocol_error(frame: bytes) -> None:
    for parse in (
        proto.parse_ack,
        proto.parse_pressure,
        lambda f: proto.parse_result(f, WHEN),
        proto.parse_text,
    ):
        try:
            parse(frame)
        except ProtocolError:
            pass


@FUZZ
@given(module_bytes)
def test_every_decoded_frame_parses_or_says_protocol_error(stream: bytes) -> None:
    for frame in proto.FrameDecoder().feed(stream):
        kind = proto.frame_kind(frame)
        try:
            if kind == "ack":
                proto.parse_ack(frame)
            elif kind == "pressure":
                proto.parse_pressure(frame)
            elif kind == "result":
                proto.parse_result(frame, WHEN)
            else:
                proto.parse_text(frame)
        except ProtocolError:
            assert kind == "ack"  # only an unknown acknowledgement code may be refused


@FUZZ
@given(chunks)
def test_simulated_module_survives_any_host_bytes(pieces: list[bytes]) -> None:
    decoder = CommandDecoder()
    device = SunTechDevice("normal")
    for piece in pieces:
        for frame in decoder.feed(piece):
            assert frame[0] == proto.HOST_START and sum(frame) % 256 == 0
        device.receive(piece, now=0.0)
        device.tick(now=1.0)


@FUZZ
@given(chunks)
def test_simulated_printer_survives_any_bytes(pieces: list[bytes]) -> None:
    printer = PrinterDevice("normal")
    for piece in pieces:
        printer.receive(piece, now=0.0)
    assert len(printer.printed()) <= sum(map(len, pieces))


@FUZZ
@given(st.integers(0, 255))
def test_status_byte_decoders_are_total(value: int) -> None:
    online, paper = decode_online(value), decode_paper(value)
    if not is_status_byte(value):
        assert online is None and paper == "unknown"


@FUZZ
@given(chunks, st.integers(1, 16))
def test_line_decoder_gives_clean_codes_however_bytes_arrive(
    pieces: list[bytes], max_line: int
) -> None:
    stream = b"".join(pieces)
    whole = LineDecoder(max_line).feed(stream)
    decoder = LineDecoder(max_line)
    split = [code for piece in pieces for code in decoder.feed(piece)]
    assert split == whole
    for code in whole:
        assert code and code == code.strip() and code.isprintable()
        assert "\r" not in code and "\n" not in code


@FUZZ
@given(st.binary(max_size=300))
def test_tlv_parser_raises_only_card_unreadable(data: bytes) -> None:
    try:
        for _, value in apdu.iter_tlv(data):
            assert len(value) <= len(data)
    except CardUnreadable:
        pass


@FUZZ
@given(st.binary(max_size=200), st.binary(max_size=200))
def test_record_pairing_raises_only_card_errors(ids: bytes, nirs: bytes) -> None:
    try:
        vitale.pair_records(ids, nirs)
    except (CardUnreadable, InvalidNir):
        pass


@FUZZ
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=30))
def test_read_sequence_against_a_card_answering_nonsense(answers: list[bytes]) -> None:
    replies = itertools.cycle(answers)
    calls = 0

    def transmit(command: bytes) -> bytes:
        nonlocal calls
        calls += 1
        assert calls < 1000, "the read sequence does not stop on a nonsense card"
        return next(replies)

    try:
        vitale.read_card(transmit)
    except CardError:
        pass


@FUZZ
@given(st.text(max_size=30))
def test_nir_and_birth_date_parsers(text: str) -> None:
    try:
        assert len(vitale.checked_nir(text)) == 15
    except InvalidNir:
        pass
    result = vitale.parse_birth_date(text)
    assert result is None or isinstance(result, dt.date)


@FUZZ
@given(st.binary(max_size=270))
def test_simulated_card_always_answers_with_a_status_word(command: bytes) -> None:
    assert len(VitaleCard().transmit(command)) >= 2


latin_names = st.text(
    alphabet=string.ascii_uppercase + " -'ÉÈÀÇÔÏËÂ", min_size=1, max_size=40
).filter(lambda s: s.strip(" \x00\xff") == s and s)


@FUZZ
@given(
    st.lists(
        st.tuples(
            latin_names,
            latin_names,
            st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)),
            st.sampled_from("1278"),
            st.integers(0, 99),
            st.integers(1, 12),
            st.integers(1, 999),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_card_files_round_trip(people: list[tuple[str, str, dt.date, str, int, int, int]]) -> None:
    beneficiaries = tuple(
        SimBeneficiary(
            surname,
            first,
            born.strftime("%Y%m%d"),
            with_key(f"{sex}{year:02d}{month:02d}75056{order:03d}"),
        )
        for surname, first, born, sex, year, month, order in people
    )
    holders = vitale.pair_records(identity_file(beneficiaries), nir_file(beneficiaries))
    assert [(h.surname, h.first_name, h.birth_date, h.nir) for h in holders] == [
        (b.surname, b.first_name, dt.datetime.strptime(b.birth_date, "%Y%m%d").date(), b.nir)
        for b in beneficiaries
    ]
