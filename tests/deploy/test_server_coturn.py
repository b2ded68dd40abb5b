"""The coturn configuration deploy/install.sh --server lays out, run by the real turnserver.

The test starts turnserver with the installed file plus what moves it onto the loopback address
and free ports for the test (and nothing else), then talks TURN to it with coturn's own client:
a credential made from the kiosk's copy of the secret, the way the central server makes one for
each call (username "<expiry>:<call>", password base64(HMAC-SHA1(secret, username))), relays
data; a wrong or expired one does not; and the denied peer ranges hold unless the test lifts
them for its loopback peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from demo_server import free_port
from deploy_support import stop_process

TURN_CONF = "etc/kiosk-turn/turnserver.conf"
SECRET = "var/lib/kiosk/keys/turn.secret"
# What only the test needs: its own loopback peer, which the installed file denies.
LOOPBACK_PEER = ("--allow-loopback-peers", "--allowed-peer-ip=127.0.0.1")


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.fail(f"{program} is missing: install Debian's coturn (deploy/dev-deps.sh)")
    return found


def sockets_of(pid: int) -> list[tuple[str, str, int]]:
    """(protocol, local address, port) of every TCP and UDP socket the process holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink()
        except OSError:
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", str(target)):
            inodes.add(match.group(1))
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/net/{proto}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] not in inodes:
                continue
            address, port = fields[1].split(":")
            raw = bytes.fromhex(address)
            # /proc/net writes each 32-bit word of the address in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.append((proto, str(ipaddress.ip_address(raw)), int(port, 16)))
    return found


class Relay:
    """A running turnserver on 127.0.0.1."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port


@pytest.fixture
def start_relay(
    installed_server_root: Path, tmp_path: Path
) -> Iterator[Callable[..., Relay]]:
    turnserver = need("turnserver")
    started: list[subprocess.Popen[str]] = []

    def start(*extra: str) -> Relay:
        port = free_port()
        low = random.randrange(50000, 60000, 100)
        process = subprocess.Popen(
            [turnserver, "-c", str(installed_server_root / TURN_CONF),
             "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={port}",
             f"--min-port={low}", f"--max-port={low + 40}", "--log-file=stdout",
             f"--pidfile={tmp_path}/turnserver-{port}.pid", f"--db={tmp_path}/turndb-{port}",
             *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        started.append(process)
        deadline = time.monotonic() + 20
        while not any(proto == "tcp" and port == found for proto, _, found in
                      sockets_of(process.pid)):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0]
                pytest.fail(f"turnserver did not start with the installed configuration:\n"
                            f"{output}")
            time.sleep(0.1)
        return Relay(process, port)

    yield start
    for process in started:
        stop_process(process)


def credential(secret: str, *, valid_for: int = 600) -> tuple[str, str]:
    """A call's TURN credential, as the central server makes it (the TURN REST convention)."""
    username = f"{int(time.time()) + valid_for}:call-test"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def exchange(relay: Relay, username: str, password: str) -> subprocess.CompletedProcess[str]:
    """Two TURN clients that relay a few messages to each other through ``relay``."""
    return subprocess.run(
        [need("turnutils_uclient"), "-u", username, "-w", password, "-p", str(relay.port),
         "-e", "127.0.0.1", "-y", "-n", "3", "127.0.0.1"],
        capture_output=True, text=True, timeout=60,
    )


def relayed(done: subprocess.CompletedProcess[str]) -> int:
    """How many messages came back through the relay (0 if the exchange failed)."""
    totals = re.findall(r"tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$",
                        done.stdout + done.stderr, flags=re.M)
    if done.returncode != 0 or not totals:
        return 0
    sent, received = map(int, totals[-1])
    return received if sent == received else 0


def test_the_installed_config_relays_with_the_kiosks_secret_on_loopback_only(
    start_relay: Callable[..., Relay], installed_server_root: Path
) -> None:
    relay = start_relay(*LOOPBACK_PEER)
    listening = sockets_of(relay.process.pid)
    assert {(proto, port) for proto, _, port in listening} >= {("tcp", relay.port),
                                                               ("udp", relay.port)}
    assert {address for _, address, _ in listening} == {"127.0.0.1"}, listening
    secret = (installed_server_root / SECRET).read_text(encoding="ascii").strip()
    done = exchange(relay, *credential(secret))
    assert relayed(done) > 0, done.stdout + done.stderr


def test_a_wrong_or_expired_credential_gets_nothing(
    start_relay: Callable[..., Relay], installed_server_root: Path
) -> None:
    relay = start_relay(*LOOPBACK_PEER)
    secret = (installed_server_root / SECRET).read_text(encoding="ascii").strip()
    for username, password in (credential("not-the-secret"),
                               credential(secret, valid_for=-60)):
        done = exchange(relay, username, password)
        assert relayed(done) == 0
        assert "Cannot complete Allocation" in done.stdout + done.stderr


def test_the_installed_config_denies_relaying_to_this_machine(
    start_relay: Callable[..., Relay], installed_server_root: Path
) -> None:
    """Only the test's allowed peer lifts it: with coturn's own loopback switch alone, the
    denied ranges of the file still refuse 127.0.0.1 as a peer."""
    relay = start_relay("--allow-loopback-peers")
    secret = (installed_server_root / SECRET).read_text(encoding="ascii").strip()
    done = exchange(relay, *credential(secret))
    assert relayed(done) == 0
    assert "403 (Forbidden IP)" in done.stdout + done.stderr
