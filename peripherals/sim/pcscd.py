"""A pcscd of our own for the virtual card reader, in tests and in the demo (never on a unit).

vsmartcard-vpcd's driver listens for the card on all interfaces (port 35963). Its "reversed"
mode (the card listens, vpcd connects) would allow 127.0.0.1, but Debian's vpcd 3.3 then
crashes pcscd as soon as the card goes away (``waitforclient()`` on a socket it never opened),
so a card could never be pulled out. So our pcscd runs in namespaces of its own
(peripherals/sim/pcscd_inside.py): a network namespace whose only interface is its own
loopback, which nothing outside can reach, and a private /run. pcscd answers on a Unix socket in
a folder of ours (``PCSCLITE_CSOCK_NAME``), so the machine's pcscd, if any, is never touched.

    readers = start()
    readers.env             # {"PCSCLITE_CSOCK_NAME": ...} for the process that reads cards
    readers.reader(0)       # "Virtual PCD 00 00"
    sock = readers.connect(0)   # a socket to vpcd: the card simulator plays through it
    readers.stop()

Needs pcscd, vsmartcard-vpcd's driver and ``unshare`` (util-linux) with user namespaces.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
FRIENDLY_NAME = "Virtual PCD"
# vpcd's own reader.conf, unchanged: inside the namespace "all interfaces" is one loopback.
READER_CONF = f"""FRIENDLYNAME "{FRIENDLY_NAME}"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      {VPCD_DRIVER}
CHANNELID    0x8C7B
"""
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class PcscdError(RuntimeError):
    """The private pcscd could not be started, or did not list its virtual readers."""


def reader_name(slot: int) -> str:
    """The name pcscd gives vpcd's reader ``slot`` (0 or 1)."""
    return f"{FRIENDLY_NAME} 00 {slot:02d}"


class PrivatePcscd:
    """A running private pcscd with vpcd's two virtual readers; ``stop()`` ends it."""

    def __init__(self, folder: Path, process: subprocess.Popen[bytes]) -> None:
        self.folder = folder
        self.process = process

    @property
    def socket_path(self) -> Path:
        """Where pcscd answers: what PCSCLITE_CSOCK_NAME must say to reach it."""
        return self.folder / "pcscd.comm"

    @property
    def env(self) -> dict[str, str]:
        """The environment a card-reading process needs to use this pcscd."""
        return {"PCSCLITE_CSOCK_NAME": str(self.socket_path)}

    @staticmethod
    def reader(slot: int = 0) -> str:
        """The reader name for the ``card_reader`` setting."""
        return reader_name(slot)

    def connect(self, slot: int = 0) -> socket.socket:
        """A socket connected to vpcd's reader ``slot``: whoever holds it is the card in it.

        Raises OSError when vpcd does not listen (yet) or the pcscd is gone.
        """
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as helper:
            helper.settimeout(5)
            helper.connect(str(self.folder / "vpcd.sock"))
            helper.sendall(bytes([slot]))
            _answer, fds, _flags, _address = socket.recv_fds(helper, 1, 1)
        if not fds:
            raise ConnectionRefusedError(f"vpcd does not listen for slot {slot}")
        return socket.socket(fileno=fds[0])

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop pcscd and its helper, and remove the folder."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # the helper's cue to stop
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _missing() -> str | None:
    if not (shutil.which("pcscd") or Path("/usr/sbin/pcscd").exists()):
        return "pcscd is not installed (apt-get install pcscd)"
    if not VPCD_DRIVER.exists():
        return "the virtual card reader is not installed (apt-get install vsmartcard-vpcd)"
    if not shutil.which("unshare"):
        return "unshare is missing (apt-get install util-linux)"
    return None


def start(
    log_path: Path | None = None, *, folder: Path | None = None, timeout: float = 20.0
) -> PrivatePcscd:
    """Start a private pcscd; raises PcscdError with a sentence saying what is missing.

    ``folder`` holds its sockets (and its log, unless ``log_path`` says otherwise); by default a
    new one under the temporary folder (a Unix socket's path is limited to 107 bytes, so a deep
    data folder would not do).
    """
    problem = _missing()
    if problem:
        raise PcscdError(problem)
    folder = Path(folder or tempfile.mkdtemp(prefix="kiosk-pcscd-"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / "reader.conf.d").mkdir(exist_ok=True)
    (folder / "reader.conf.d" / "vpcd").write_text(READER_CONF, encoding="ascii")
    log_path = log_path or folder / "pcscd.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
    )
    try:
        process = subprocess.Popen(
            ["unshare", "--user", "--map-root-user", "--net", "--mount",
             sys.executable, "-m", "peripherals.sim.pcscd_inside", str(folder), str(log_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        )
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PcscdError(f"cannot start pcscd: {exc}") from exc
    readers = PrivatePcscd(folder, process)
    said = _first_line(process, timeout)
    if said != "ready":
        readers.stop()
        raise PcscdError(f"the private pcscd did not start: {said or 'no answer'} "
                         f"(see {log_path})")
    return readers


def _first_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    """The helper's first line of output ("ready", or why not), waiting at most ``timeout``."""
    assert process.stdout is not None
    ready, _w, _x = select.select([process.stdout], [], [], timeout)
    if not ready:
        return ""
    lines = process.stdout.readline().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""
