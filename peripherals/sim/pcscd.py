"""Running pcscd for the virtual card reader, in tests and in the demo (never on a real unit).

pcscd is reused when one already answers; otherwise one is started in the foreground and the
caller stops it. A stale socket is removed only when no pcscd process is alive.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


class PcscdError(RuntimeError):
    """pcscd could not be started or did not list the expected reader."""


def answers() -> bool:
    """True if a pcscd listens on its socket."""
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(PCSCD_SOCKET))
        except OSError:
            return False
    return True


def live_pids() -> list[int]:
    """pcscd processes really running (a zombie left by a killed shell is not)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().split()
            if fields[1] == "(pcscd)" and fields[2] != "Z":
                pids.append(int(fields[0]))
    return pids


def reader_listed(name: str) -> bool:
    """True if pcscd lists the reader ``name``."""
    from peripherals.errors import NoReader
    from peripherals.pcsc import list_readers

    try:
        return name in list_readers()
    except NoReader:
        return False


class Pcscd:
    """A pcscd this process started (or None-like when one was already running)."""

    def __init__(self, process: subprocess.Popen[bytes] | None, log: IO[bytes] | None) -> None:
        self.process = process
        self._log = log

    @property
    def started_here(self) -> bool:
        return self.process is not None

    def stop(self) -> None:
        """Stop pcscd if this process started it (SIGTERM, then kill after 10 s)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def ensure(reader: str, log_path: Path, timeout: float = 10.0) -> Pcscd:
    """Make sure a pcscd lists ``reader``; start one if none runs. Raises PcscdError."""
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    if not Path(binary).exists():
        raise PcscdError("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
    handle = Pcscd(None, None)
    deadline = time.monotonic() + timeout
    # Wait for the reader; start a pcscd whenever none is alive. A pcscd may still answer for a
    # moment while it shuts down (another test or demo just stopped it): that one is left to go.
    while time.monotonic() < deadline:
        if reader_listed(reader):
            return handle
        if handle.process is None and not live_pids():
            with contextlib.suppress(FileNotFoundError):
                PCSCD_SOCKET.unlink()  # stale: its daemon is gone
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log = log_path.open("wb")
            try:
                process = subprocess.Popen([binary, "-f"], stdout=log, stderr=subprocess.STDOUT)
            except OSError as exc:
                log.close()
                raise PcscdError(f"cannot start pcscd: {exc}") from exc
            handle = Pcscd(process, log)
        elif handle.process is not None and handle.process.poll() is not None:
            break
        time.sleep(0.05)
    handle.stop()
    raise PcscdError(f"pcscd did not list {reader!r} (is vsmartcard-vpcd installed?)")
