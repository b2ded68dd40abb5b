"""A simulated 2D scanner in USB-CDC mode: :meth:`ScannerDevice.emit` "scans" a code.

Scenarios: ``normal`` (code + CR), ``crlf`` (code + CR LF), ``split`` (the line
arrives in small pieces), ``garbage`` (a non-UTF-8 line and noise come first).
"""

from __future__ import annotations

from peripherals.sim.link import DeviceModel

SCENARIOS = ("normal", "crlf", "split", "garbage")
NOISE = b"\xff\xfe\x80 \x00\r\n\r"


class ScannerDevice(DeviceModel):
    """Scanner state machine; it ignores what the host writes."""

    def __init__(self, scenario: str = "normal") -> None:
        super().__init__()
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scanner scenario {scenario!r}; choose from {SCENARIOS}")
        self.scenario = scenario

    def emit(self, code: str) -> None:
        """Send ``code`` as the scanner would after reading it."""
        line = code.encode("utf-8") + (b"\r\n" if self.scenario == "crlf" else b"\r")
        if self.scenario == "garbage":
            line = NOISE + line
        if self.scenario == "split":
            for i in range(0, len(line), 3):
                self.send(line[i : i + 3], delay=0.005)
        else:
            self.send(line)
