"""Device drivers for the kiosk: blood-pressure cuff, health card, ticket printer, scanner.

A standalone library: it never imports ``kiosk`` or ``voice``. Importing it opens
nothing. Start with :class:`peripherals.manager.DeviceManager`; the data types
and errors below are what its methods return and raise. Simulators live in
:mod:`peripherals.sim`. Byte-level facts: DEVICES.md.
"""

from peripherals.errors import (
    BloodPressureError,
    CardError,
    CardRemoved,
    CardUnreadable,
    DeviceBusy,
    DeviceError,
    DeviceNotConfigured,
    DeviceTimeout,
    DeviceUnavailable,
    InvalidNir,
    MeasurementCancelled,
    MeasurementError,
    MeasurementTimeout,
    NoCard,
    NoReader,
    NotAVitaleCard,
    OutOfPaper,
    PeripheralError,
    PrinterError,
    PrinterOffline,
    ProtocolError,
)
from peripherals.interfaces import BloodPressureMonitor, CardReader, CodeScanner, TicketPrinter
from peripherals.models import (
    BloodPressureReading,
    CardContents,
    CardEvent,
    CardHolder,
    DeviceHealth,
    PrinterStatus,
    SelfTestResult,
    Ticket,
)

__all__ = [
    "BloodPressureError",
    "BloodPressureMonitor",
    "BloodPressureReading",
    "CardContents",
    "CardError",
    "CardEvent",
    "CardHolder",
    "CardReader",
    "CardRemoved",
    "CardUnreadable",
    "CodeScanner",
    "DeviceBusy",
    "DeviceError",
    "DeviceHealth",
    "DeviceNotConfigured",
    "DeviceTimeout",
    "DeviceUnavailable",
    "InvalidNir",
    "MeasurementCancelled",
    "MeasurementError",
    "MeasurementTimeout",
    "NoCard",
    "NoReader",
    "NotAVitaleCard",
    "OutOfPaper",
    "PeripheralError",
    "PrinterError",
    "PrinterOffline",
    "PrinterStatus",
    "ProtocolError",
    "SelfTestResult",
    "Ticket",
    "TicketPrinter",
]
