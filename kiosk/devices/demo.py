"""The demo's devices: every simulator of peripherals/sim on stable paths, plus pcscd for the card.

They run inside the `kiosk demo` process; gunicorn's worker reaches them through the same
settings a real unit uses (pyserial paths and a PC/SC reader name), and the card through a
pcscd of the demo's own, shut in its own network namespace (peripherals.sim.pcscd), so
nothing of the demo listens beyond this machine's loopback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peripherals import sim
from peripherals.sim import pcscd
from peripherals.sim.paper import PrintsFolder

log = logging.getLogger(__name__)


def prints_folder(data_dir: Path) -> Path:
    """Where the demo's simulated printer puts what it prints."""
    return data_dir / "prints"


@dataclass
class DemoDevices:
    """Running simulators, the settings that point at them, and a note for each problem."""

    env: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _simulators: list[Any] = field(default_factory=list)
    _pcscd: pcscd.PrivatePcscd | None = None

    @property
    def printer(self) -> Any | None:
        return next((s for s in self._simulators if getattr(s, "kind", "") == "printer"), None)

    @property
    def scanner(self) -> Any | None:
        return next((s for s in self._simulators if getattr(s, "kind", "") == "scanner"), None)

    def scan(self, code: str) -> None:
        """Show ``code`` to the simulated scanner, as a ticket's QR code held under it."""
        if self.scanner is not None:
            self.scanner.device.emit(code)

    def stop(self) -> None:
        """Stop every simulator, then the demo's pcscd."""
        for simulator in reversed(self._simulators):
            simulator.stop()
        self._simulators.clear()
        if self._pcscd is not None:
            self._pcscd.stop()
            self._pcscd = None


def start_demo_devices(
    data_dir: Path, bp_measure_time: float = 8.0, card_scenario: str = "normal"
) -> DemoDevices:
    """Start the cuff, printer and scanner on ptys with stable links, and the card in vpcd.

    ``card_scenario`` picks the card in the slot (see peripherals.sim.SCENARIOS["card"]).
    Each print comes out as a picture and a text in ``data_dir/prints`` (the demo's only:
    a unit's printer is real, and nothing of a person is written to disk, SECURITY.md 27).
    """
    folder = data_dir / "devices"
    folder.mkdir(parents=True, exist_ok=True)
    devices = DemoDevices()
    serial: dict[str, tuple[str, dict[str, Any]]] = {
        "bp": ("KIOSK_BP_URL", {"measure_time": bp_measure_time}),
        "printer": ("KIOSK_PRINTER_URL", {"on_print": PrintsFolder(prints_folder(data_dir))}),
        "scanner": ("KIOSK_SCANNER_URL", {}),
    }
    for kind, (variable, options) in serial.items():
        simulator = sim.run(kind, "normal", link_path=folder / kind, **options)
        devices._simulators.append(simulator)
        devices.env[variable] = str(folder / kind)
    try:
        devices._pcscd = readers = pcscd.start(folder / "pcscd.log")
    except pcscd.PcscdError as exc:
        devices.problems.append(f"card reader: {exc}")
        return devices
    devices._simulators.append(sim.run("card", card_scenario, readers=readers))
    devices.env["KIOSK_CARD_READER"] = readers.reader(0)
    devices.env.update(readers.env)
    return devices
