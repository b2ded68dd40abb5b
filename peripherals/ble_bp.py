"""Consumer Bluetooth cuffs: the Blood Pressure Measurement characteristic (0x2A35).

DEVICES.md §2. This module decodes the bytes a cuff indicates; the Bluetooth transport itself
(scanning, pairing, subscribing) is left to a later driver. Values are IEEE-11073 SFLOAT: a
4-bit signed exponent and a 12-bit signed mantissa, little-endian, with reserved values for
"not a number". The status bits are what lets the kiosk say "your pulse was irregular".
"""

from __future__ import annotations

import datetime as dt
import math

from peripherals.errors import ProtocolError
from peripherals.models import BloodPressureReading

FLAG_KPA = 0x01
FLAG_TIMESTAMP = 0x02
FLAG_PULSE = 0x04
FLAG_USER = 0x08
FLAG_STATUS = 0x10

STATUS_MOVEMENT = 0x0001
STATUS_CUFF_LOOSE = 0x0002
STATUS_IRREGULAR_PULSE = 0x0004
STATUS_IMPROPER_POSITION = 0x0020

_RESERVED = {0x07FF: math.nan, 0x0800: math.nan, 0x07FE: math.inf, 0x0802: -math.inf,
             0x0801: math.nan}
KPA_TO_MMHG = 7.50062


def sfloat(raw: int) -> float:
    """Decode a 16-bit IEEE-11073 SFLOAT."""
    mantissa = raw & 0x0FFF
    if mantissa in _RESERVED:
        return _RESERVED[mantissa]
    exponent = raw >> 12
    if exponent >= 0x8:
        exponent -= 0x10
    if mantissa >= 0x800:
        mantissa -= 0x1000
    return float(mantissa * 10.0**exponent)


def _value(data: bytes, offset: int, what: str) -> float:
    if offset + 2 > len(data):
        raise ProtocolError(f"BLE measurement too short for {what}: {data.hex(' ')}")
    return sfloat(int.from_bytes(data[offset:offset + 2], "little"))


def _whole(value: float, what: str) -> int:
    if not math.isfinite(value):
        raise ProtocolError(f"BLE measurement has no {what}")
    return round(value)


def parse_measurement(data: bytes, received_at: dt.datetime) -> BloodPressureReading:
    """Decode one 0x2A35 indication into a reading (kPa converted to mmHg).

    The cuff's own timestamp is used when it sends one, else ``received_at``. A cuff-too-loose
    or improper-position status is reported as error 87 (the loose-cuff code of the SunTech
    table), so the kiosk asks to refit the cuff the same way for both kinds of cuff.
    """
    if len(data) < 7:
        raise ProtocolError(f"BLE measurement too short: {data.hex(' ')}")
    flags = data[0]
    scale = KPA_TO_MMHG if flags & FLAG_KPA else 1.0
    systolic = _value(data, 1, "systolic") * scale
    diastolic = _value(data, 3, "diastolic") * scale
    mean = _value(data, 5, "mean") * scale
    offset = 7
    taken_at = received_at
    if flags & FLAG_TIMESTAMP:
        if offset + 7 > len(data):
            raise ProtocolError(f"BLE measurement too short for its timestamp: {data.hex(' ')}")
        year = int.from_bytes(data[offset:offset + 2], "little")
        month, day, hour, minute, second = data[offset + 2:offset + 7]
        try:
            taken_at = dt.datetime(year, month, day, hour, minute, second,
                                   tzinfo=received_at.tzinfo)
        except ValueError as exc:
            raise ProtocolError(f"BLE measurement has an impossible date: {exc}") from exc
        offset += 7
    pulse = math.nan
    if flags & FLAG_PULSE:
        pulse = _value(data, offset, "pulse")
        offset += 2
    if flags & FLAG_USER:
        offset += 1
    status = 0
    if flags & FLAG_STATUS:
        if offset + 2 > len(data):
            raise ProtocolError(f"BLE measurement too short for its status: {data.hex(' ')}")
        status = int.from_bytes(data[offset:offset + 2], "little")
    loose = bool(status & (STATUS_CUFF_LOOSE | STATUS_IMPROPER_POSITION))
    return BloodPressureReading(
        systolic=_whole(systolic, "systolic"),
        diastolic=_whole(diastolic, "diastolic"),
        mean=_whole(mean, "mean") if math.isfinite(mean) else 0,
        pulse=_whole(pulse, "pulse") if math.isfinite(pulse) else 0,
        error=87 if loose else 0,
        taken_at=taken_at,
        irregular_pulse=bool(status & STATUS_IRREGULAR_PULSE),
        movement=bool(status & STATUS_MOVEMENT),
    )
