"""The driver over ``socket://``: any device speaking the SunTech protocol gives 115/74."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from peripherals.errors import DeviceUnavailable
from peripherals.sim import run
from peripherals.suntech import SunTechMonitor, SunTechTiming

# Replies written out from DEVICES.md, independent of the project's encoder.
REPLIES = {
    bytes.fromhex("3a20a6"): bytes.fromhex("3e044f6f"),  # start -> 'O'
    bytes.fromhex("3a7905 0048"): bytes.fromhex("3e050201ba") + bytes.fromhex("3e044b73"),
    bytes.fromhex("3a7903004a"): bytes.fromhex(
        "3e18 7300 4a00 1e 01 0000000000003107 55 00 5800 00 0000 e9"
    ),
    bytes.fromhex("3a7901004c"): bytes.fromhex("3e04417d"),  # abort -> 'A'
}


class _LiteralModule(socketserver.BaseRequestHandler):
    """A bare-bones module: reads fixed-size commands and answers from REPLIES."""

    def handle(self) -> None:
        buffer = b""
        while chunk := self.request.recv(64):
            buffer += chunk
            for command, reply in REPLIES.items():
                if buffer.startswith(command):
                    buffer = buffer[len(command) :]
                    self.request.sendall(reply)


@pytest.fixture
def literal_module() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _LiteralModule)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"socket://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_independent_tcp_module_gives_115_over_74(
    literal_module: str, fast_bp: SunTechTiming
) -> None:
    pressures: list[int] = []
    with SunTechMonitor(literal_module, timing=fast_bp) as monitor:
        reading = monitor.measure(pressures.append)
    assert (reading.systolic, reading.diastolic, reading.pulse, reading.mean) == (115, 74, 85, 88)
    assert pressures == [258]


def test_simulator_on_socket_gives_115_over_74(fast_bp: SunTechTiming) -> None:
    with run("bp", "normal", transport="socket", measure_time=0.3) as sim:
        assert sim.url.startswith("socket://127.0.0.1:")
        with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
            reading = monitor.measure()
        assert (reading.systolic, reading.diastolic) == (115, 74)
        assert sim.device.aborts == 1


def test_socket_simulator_killed_mid_measurement(fast_bp: SunTechTiming) -> None:
    with run("bp", "unplugged", transport="socket", unplug_after=0.15, measure_time=5) as sim:
        with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
            with pytest.raises(DeviceUnavailable):
                monitor.measure(deadline=5.0)
        # The port is gone, not merely silent: a new connection is refused.
        port = int(sim.url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        with pytest.raises(DeviceUnavailable):
            SunTechMonitor(sim.url, timing=fast_bp).open()
