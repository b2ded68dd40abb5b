"""Golden byte vectors for every SunTech frame (DEVICES.md §1), and the stream decoder."""

from __future__ import annotations

import datetime as dt

import pytest

from peripherals import suntech_protocol as proto
from peripherals.errors import MeasurementError, ProtocolError
from peripherals.suntech_codes import ERROR_CODES, Ack, error_key, error_message

GOLDEN_RESULT = bytes.fromhex("3e18 7300 4a00 1e 01 0000000000003107 55 00 5800 00 0000 e9")
WHEN = dt.datetime(2025, 3, 12, 14, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (proto.start_command("adult"), "3a 20 a6"),
        (proto.start_command("child"), "3a 87 3f"),
        (proto.start_command("newborn"), "3a 28 9e"),
        (proto.ABORT, "3a 79 01 00 4c"),
        (proto.GET_CUFF_PRESSURE, "3a 79 05 00 48"),
        (proto.GET_RESULT, "3a 79 03 00 4a"),
        (proto.initial_inflation_command(160), "3a 17 a0 00 0f"),
        (proto.MODULE_STATUS, "3a 79 10 03 3a"),
        (proto.GET_VERSION, "3a 79 02 40 0b"),
    ],
)
def test_host_commands_match_the_documented_bytes(frame: bytes, expected: str) -> None:
    assert frame.hex(" ") == expected


def test_every_host_command_sums_to_zero() -> None:
    for frame in (proto.ABORT, proto.GET_RESULT, proto.GET_VERSION, proto.MODULE_STATUS):
        assert sum(frame) % 256 == 0


def test_golden_result_decodes_to_115_over_74_pulse_85_mean_88() -> None:
    reading = proto.parse_result(GOLDEN_RESULT, WHEN)
    assert (reading.systolic, reading.diastolic, reading.pulse, reading.mean) == (115, 74, 85, 88)
    assert reading.error == 0 and reading.error_key is None
    assert reading.taken_at == WHEN
    assert reading.summary() == "115/74 mmHg, pouls 85, moyenne 88"


def test_result_encoder_reproduces_the_golden_vector() -> None:
    built = proto.encode_result(
        115, 74, 85, 88, beats=0x1E, test_codes=bytes.fromhex("0000000000003107")
    )
    assert built == GOLDEN_RESULT


def test_result_with_error_code_carries_it() -> None:
    reading = proto.parse_result(proto.encode_result(0, 0, 0, 0, error=87), WHEN)
    assert reading.error == 87
    assert reading.error_key == "loose_cuff"


@pytest.mark.parametrize(
    ("frame", "ack"),
    [
        ("3e 04 4f 6f", Ack.RECEIVED),
        ("3e 04 4b 73", Ack.COMPLETE),
        ("3e 04 41 7d", Ack.ABORTED),
        ("3e 04 42 7c", Ack.BUSY),
        ("3e 04 45 79", Ack.ERROR),
        ("3e 04 44 7a", Ack.UNRECOGNISED),
        ("3e 04 53 6b", Ack.SLEEPING),
        ("3e 04 54 6a", Ack.TIMEOUT),
    ],
)
def test_every_acknowledgement_code(frame: str, ack: Ack) -> None:
    raw = bytes.fromhex(frame)
    assert proto.parse_ack(raw) is ack
    assert proto.encode_reply(bytes([ack.value])) == raw


def test_cuff_pressure_258_and_invalid() -> None:
    assert proto.parse_pressure(bytes.fromhex("3e 05 02 01 ba")) == 258
    minus_one = proto.encode_reply(b"\xff\xff")
    assert proto.parse_pressure(minus_one) is None


def test_version_text() -> None:
    frame = proto.encode_reply(b"SunTech 1.2")
    assert proto.parse_text(frame) == "SunTech 1.2"


@pytest.mark.parametrize(
    "bad",
    [
        "3e 04 4f 6e",  # checksum off by one
        "3e 05 4f 6f",  # length says 5, frame has 4
        "3e 04 5a 64",  # 'Z' is no acknowledgement
        "3a 04 4f 6f",  # host start byte
    ],
)
def test_malformed_acks_raise_protocol_error(bad: str) -> None:
    with pytest.raises(ProtocolError):
        proto.parse_ack(bytes.fromhex(bad))


def test_result_parser_rejects_a_short_frame() -> None:
    with pytest.raises(ProtocolError):
        proto.parse_result(GOLDEN_RESULT[:-1], WHEN)


def test_decoder_resynchronises_after_garbage_with_stray_start_bytes() -> None:
    decoder = proto.FrameDecoder()
    junk = b"\x00\xff\x3e\x07junk\x3e\x04\x4f\x00"
    frames = decoder.feed(junk + GOLDEN_RESULT + bytes.fromhex("3e044b73"))
    assert frames == [GOLDEN_RESULT, bytes.fromhex("3e044b73")]
    assert decoder.bad_frames >= 2
    assert decoder.dropped_bytes >= len(junk)


def test_decoder_joins_frames_split_across_reads() -> None:
    decoder = proto.FrameDecoder()
    stream = bytes.fromhex("3e0502 01ba") + GOLDEN_RESULT
    seen = []
    for byte in stream:
        seen += decoder.feed(bytes([byte]))
    assert seen == [bytes.fromhex("3e050201ba"), GOLDEN_RESULT]


def test_decoder_drops_impossible_lengths() -> None:
    decoder = proto.FrameDecoder()
    assert decoder.feed(bytes.fromhex("3e 02 3e ff 3e 04 4f 6f")) == [bytes.fromhex("3e044f6f")]
    assert decoder.bad_frames == 2


def test_every_documented_error_code_has_a_key_and_a_french_sentence() -> None:
    documented = {1, 2, 3, 4, 85, 86, 87, 88, 89, 90, 91, 97, 99}
    assert set(ERROR_CODES) == documented
    keys = [error_key(code) for code in documented]
    assert len(set(keys)) == len(keys)
    assert error_key(87) == "loose_cuff" and error_key(2) == "movement"
    assert error_message(87) == "Le brassard est mal serré."
    for code in documented:
        assert error_message(code).endswith(".")


def test_unknown_error_code_still_gives_a_sentence() -> None:
    error = MeasurementError(42)
    assert error.key == "unknown_error"
    assert error.user_message == "La mesure n'a pas marché."
    assert "42" in str(error)
