"""Bluetooth cuffs' 0x2A35 measurement (DEVICES.md §2): the bytes, the flags, what they tell."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peripherals.ble_bp import parse_measurement, sfloat
from peripherals.errors import ProtocolError

RECEIVED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
VECTOR = bytes.fromhex("1e 78 00 50 00 5d 00 e8 07 05 01 0a 1e 00 48 00 01 05 00")


def test_the_reference_vector_is_120_over_80_with_movement_and_an_irregular_pulse() -> None:
    reading = parse_measurement(VECTOR, RECEIVED)
    assert (reading.systolic, reading.diastolic, reading.mean, reading.pulse) == (120, 80, 93, 72)
    assert reading.taken_at == dt.datetime(2024, 5, 1, 10, 30, 0, tzinfo=dt.UTC)
    assert reading.irregular_pulse is True
    assert reading.movement is True
    assert reading.error == 0


def test_a_plain_reading_has_no_flags_and_takes_the_reception_time() -> None:
    reading = parse_measurement(bytes.fromhex("00 73 00 4a 00 58 00"), RECEIVED)
    assert (reading.systolic, reading.diastolic, reading.mean) == (115, 74, 88)
    assert reading.taken_at == RECEIVED
    assert not reading.irregular_pulse and not reading.movement


def test_a_loose_cuff_is_the_same_error_as_the_suntech_loose_cuff() -> None:
    # flags: status only; status bit 1 = cuff too loose.
    reading = parse_measurement(bytes.fromhex("10 78 00 50 00 5d 00 02 00"), RECEIVED)
    assert reading.error == 87
    assert reading.error_key == "loose_cuff"


def test_kilopascals_become_millimetres_of_mercury() -> None:
    # 16.0 kPa = mantissa 160, exponent -1 (0xF0A0); 10.7 kPa = 107 e-1 (0xF06B).
    data = bytes([0x01]) + (0xF0A0).to_bytes(2, "little") + (0xF06B).to_bytes(2, "little") \
        + (0xF07C).to_bytes(2, "little")
    reading = parse_measurement(data, RECEIVED)
    assert (reading.systolic, reading.diastolic) == (120, 80)


@pytest.mark.parametrize(("raw", "value"), [
    (0x0078, 120.0), (0xF06B, 10.7), (0x1001, 10.0), (0x0FFF, -1.0), (0x07FE, math.inf),
])
def test_sfloat_values(raw: int, value: float) -> None:
    assert sfloat(raw) == pytest.approx(value)


def test_not_a_number_systolic_is_refused() -> None:
    with pytest.raises(ProtocolError):
        parse_measurement(bytes.fromhex("00 ff 07 50 00 5d 00"), RECEIVED)


@pytest.mark.parametrize("cut", range(len(VECTOR)))
def test_a_truncated_measurement_is_a_protocol_error(cut: int) -> None:
    with pytest.raises(ProtocolError):
        parse_measurement(VECTOR[:cut], RECEIVED)


@given(st.binary(max_size=32))
def test_any_bytes_give_a_reading_or_a_protocol_error(data: bytes) -> None:
    try:
        reading = parse_measurement(data, RECEIVED)
    except ProtocolError:
        return
    assert isinstance(reading.irregular_pulse, bool)
