"""Simulated devices that speak the real bytes, for tests and the demo.

``run(kind, scenario)`` starts one and returns a handle whose ``url`` goes into
the matching setting (``bp_url``, ``printer_url``, ``scanner_url``, or the reader
name for ``card_reader``) and whose ``stop()`` ends it. Serial devices run on a
pty by default, or on ``socket://127.0.0.1:PORT`` with ``transport="socket"``.
The card plays into a private pcscd with vsmartcard-vpcd (``peripherals.sim.pcscd.start``,
DEVICES.md §3): ``run("card", scenario, readers=readers)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, overload

from peripherals.sim import printer_device, scanner_device, suntech_device, vitale_card
from peripherals.sim.link import DeviceModel, Link, PtyLink, TcpLink
from peripherals.sim.printer_device import PrinterDevice
from peripherals.sim.scanner_device import ScannerDevice
from peripherals.sim.suntech_device import SunTechDevice
from peripherals.sim.vitale_card import VitaleCard
from peripherals.sim.vpcd import VpcdCard

KINDS = ("bp", "card", "printer", "scanner")
SCENARIOS: dict[str, tuple[str, ...]] = {
    "bp": suntech_device.SCENARIOS,
    "card": vitale_card.SCENARIOS,
    "printer": printer_device.SCENARIOS,
    "scanner": scanner_device.SCENARIOS,
}
PULL_OUT_AFTER = 3  # APDUs: the card vanishes when the VITALE application is selected

M = TypeVar("M", bound=DeviceModel)


class SerialSimulator(Generic[M]):
    """A running serial device: its model (``device``) behind a pty or TCP link."""

    def __init__(self, kind: str, scenario: str, device: M, link: Link) -> None:
        self.kind = kind
        self.scenario = scenario
        self.device = device
        self.link = link

    @property
    def url(self) -> str:
        """URL for ``serial_for_url`` (pty path, stable symlink, or ``socket://``)."""
        return self.link.url

    def stop(self) -> None:
        """Stop the simulator and release its pty or port."""
        self.link.stop()

    def unplug(self) -> None:
        """Pull the virtual cable: the host's next read or write fails."""
        self.link.unplug()

    def replug(self) -> None:
        """Plug it back in at the same URL."""
        self.link.replug()

    def __enter__(self) -> SerialSimulator[M]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class CardSimulator:
    """A simulated Carte Vitale held in pcscd's virtual reader."""

    kind = "card"

    def __init__(self, scenario: str, card: VpcdCard) -> None:
        self.scenario = scenario
        self.card = card

    @property
    def url(self) -> str:
        """The reader name to put in the ``card_reader`` setting."""
        return self.card.reader

    def insert(self) -> None:
        """Put the card (back) in the reader."""
        self.card.insert()

    def remove(self) -> None:
        """Take the card out of the reader."""
        self.card.remove()

    stop = unplug = remove
    replug = insert

    def __enter__(self) -> CardSimulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


Simulator = SerialSimulator[Any] | CardSimulator


def _model(kind: str, scenario: str, options: dict[str, Any]) -> DeviceModel:
    if kind == "bp":
        return SunTechDevice(scenario, **options)
    if kind == "printer":
        return PrinterDevice(scenario, **options)
    if kind == "scanner":
        return ScannerDevice(scenario, **options)
    raise ValueError(f"unknown simulator kind {kind!r}; choose from {KINDS}")


@overload
def run(
    kind: Literal["bp"],
    scenario: str = ...,
    *,
    transport: str = ...,
    port: int = ...,
    link_path: str | Path | None = ...,
    **options: Any,
) -> SerialSimulator[SunTechDevice]: ...
@overload
def run(
    kind: Literal["printer"],
    scenario: str = ...,
    *,
    transport: str = ...,
    port: int = ...,
    link_path: str | Path | None = ...,
    **options: Any,
) -> SerialSimulator[PrinterDevice]: ...
@overload
def run(
    kind: Literal["scanner"],
    scenario: str = ...,
    *,
    transport: str = ...,
    port: int = ...,
    link_path: str | Path | None = ...,
    **options: Any,
) -> SerialSimulator[ScannerDevice]: ...
@overload
def run(
    kind: Literal["card"],
    scenario: str = ...,
    *,
    transport: str = ...,
    port: int = ...,
    link_path: str | Path | None = ...,
    **options: Any,
) -> CardSimulator: ...
@overload
def run(
    kind: str,
    scenario: str = ...,
    *,
    transport: str = ...,
    port: int = ...,
    link_path: str | Path | None = ...,
    **options: Any,
) -> Simulator: ...
def run(
    kind: str,
    scenario: str = "normal",
    *,
    transport: str = "pty",
    port: int = 0,
    link_path: str | Path | None = None,
    **options: Any,
) -> Simulator:
    """Start a simulator and return its handle (call ``stop()`` when done).

    ``kind`` is bp, card, printer or scanner; ``scenario`` one of
    ``SCENARIOS[kind]``. Serial kinds: ``transport`` "pty" (``link_path`` gives
    a stable symlink to the pty, like udev's by-id names) or "socket" (``port`` 0
    picks a free one). Card: ``readers`` (a running peripherals.sim.pcscd.PrivatePcscd) and
    ``slot`` (0 or 1) say which virtual reader it goes in. Other keyword options go to the
    device model (e.g. ``measure_time=0.5``).
    """
    if kind == "card":
        card = VpcdCard(
            VitaleCard.from_scenario(scenario),
            pull_out_after=PULL_OUT_AFTER if scenario == "pulled_out" else None,
            **options,
        )
        card.insert()
        return CardSimulator(scenario, card)
    model = _model(kind, scenario, options)
    if transport == "pty":
        link: Link = PtyLink(model, link_path)
    elif transport == "socket":
        link = TcpLink(model, port)
    else:
        raise ValueError(f"unknown transport {transport!r}; use 'pty' or 'socket'")
    link.start()
    return SerialSimulator(kind, scenario, model, link)


__all__ = [
    "KINDS",
    "SCENARIOS",
    "CardSimulator",
    "SerialSimulator",
    "Simulator",
    "run",
]
