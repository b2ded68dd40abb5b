"""The inside of the private pcscd (peripherals.sim.pcscd): run as
``unshare --user --map-root-user --net --mount python -m peripherals.sim.pcscd_inside FOLDER LOG``.

In its own network namespace it brings the loopback up, so vpcd's "all interfaces" are that
loopback alone; over a private /run, so pcscd never touches the machine's pcscd files (nor sees
its USB readers). It starts pcscd on FOLDER/pcscd.comm (socket activation, as systemd does), says
``ready`` once the virtual readers are listed, then hands out connections to vpcd: a client
sends the slot number (one byte) on FOLDER/vpcd.sock and gets a connected socket back
(SCM_RIGHTS). It stops, and pcscd with it, when its standard input closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from peripherals.sim.pcscd import reader_name

VPCD_PORT = 35963  # vpcd's port for slot 0 (slot 1 is the next one), inside the namespace only
SLOTS = 2
READY_TIMEOUT = 10.0
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
_PR_SET_PDEATHSIG = 1
_IFREQ = "16sH14x"


def loopback_up() -> None:
    """A new network namespace starts with its loopback down."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        asked = fcntl.ioctl(sock, _SIOCGIFFLAGS, struct.pack(_IFREQ, b"lo", 0))
        flags = struct.unpack(_IFREQ, asked)[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack(_IFREQ, b"lo", flags | _IFF_UP))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def private_run() -> None:
    """An empty /run for pcscd: its pid file and lock stay here, not in the machine's."""
    if _libc().mount(b"kiosk-pcscd", b"/run", b"tmpfs", 0, b"mode=0755") != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot mount a private /run: {os.strerror(errno)}")


def _die_with_parent() -> None:
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def start_pcscd(folder: Path, log: Path) -> subprocess.Popen[bytes]:
    """pcscd in the foreground on FOLDER/pcscd.comm, with the readers of FOLDER/reader.conf.d."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(folder / "pcscd.comm"))
    listener.listen(64)
    # Run under its own name, so nothing mistakes it for the machine's pcscd.
    binary = folder / "kiosk-pcscd"
    binary.symlink_to(shutil.which("pcscd") or "/usr/sbin/pcscd")
    # systemd's socket activation: the socket on fd 3, and LISTEN_PID naming pcscd itself.
    script = 'LISTEN_PID=$$ LISTEN_FDS=1; export LISTEN_PID LISTEN_FDS; exec "$0" "$@" 3<&%d'
    with log.open("ab") as output:
        return subprocess.Popen(
            ["sh", "-c", script % listener.fileno(), str(binary), "-f",
             "-c", str(folder / "reader.conf.d")],
            pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )


def wait_until_listed(pcscd: subprocess.Popen[bytes], reader: str) -> None:
    """Wait for pcscd to list ``reader``; raise RuntimeError if it stops or takes too long."""
    from peripherals.errors import NoReader
    from peripherals.pcsc import list_readers

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if pcscd.poll() is not None:
            raise RuntimeError(f"pcscd stopped (exit {pcscd.returncode})")
        with contextlib.suppress(NoReader):
            if reader in list_readers():
                return
        time.sleep(0.05)
    raise RuntimeError(f"pcscd did not list {reader!r} in time")


def serve_connections(listener: socket.socket) -> None:
    """Hand each caller a socket connected to vpcd's port for the slot it names."""
    while True:
        caller, _ = listener.accept()
        with caller:
            asked = caller.recv(1)
            if len(asked) != 1 or asked[0] >= SLOTS:
                continue
            try:
                card = socket.create_connection(("127.0.0.1", VPCD_PORT + asked[0]), timeout=2)
            except OSError:
                caller.sendall(b"\0")  # vpcd is not listening (yet)
                continue
            with card:
                card.setblocking(True)
                socket.send_fds(caller, [b"\1"], [card.fileno()])


def main(argv: list[str]) -> int:
    """Set the namespace up, start pcscd, serve connections until standard input closes."""
    folder, log = Path(argv[0]), Path(argv[1])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Ctrl-C in the demo's terminal reaches the whole process group: the demo stops this last.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # pyscard reads the socket's path once, when first used: set it before anything imports it.
    os.environ["PCSCLITE_CSOCK_NAME"] = str(folder / "pcscd.comm")
    pcscd: subprocess.Popen[bytes] | None = None
    try:
        loopback_up()
        private_run()
        pcscd = start_pcscd(folder, log)
        wait_until_listed(pcscd, reader_name(0))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(folder / "vpcd.sock"))
        listener.listen(8)
        threading.Thread(target=serve_connections, args=(listener,), daemon=True).start()
        print("ready", flush=True)
        sys.stdin.buffer.read()  # until the parent closes it, or goes
    except (RuntimeError, OSError) as exc:
        print(f"failed: {exc}", flush=True)
        return 1
    finally:
        if pcscd is not None:
            pcscd.kill()  # SIGKILL: nothing of pcscd's clean-up is needed in a private /run
            pcscd.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
