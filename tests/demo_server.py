"""Start the real `kiosk demo` (migrate, seed, gunicorn), or `kiosk run`, on a free port, for
tests that need the kiosk as it really runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoServer:
    """A running `kiosk demo`; ``stop()`` sends Ctrl-C as a person would."""

    process: subprocess.Popen[str]
    url: str
    data_dir: Path

    def stop(self, timeout: float = 20) -> int:
        """Ctrl-C, then wait; returns the exit code. Kills it if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self._collect()

    def _collect(self) -> None:
        if self.process.stdout is not None and not self.process.stdout.closed:
            self._output = self.process.stdout.read()
            self.process.stdout.close()

    def output(self) -> str:
        """Everything the demo printed (after stop())."""
        self._collect()
        return getattr(self, "_output", "")


def start_demo(
    data_dir: Path,
    extra_env: dict[str, str] | None = None,
    timeout: float = 60,
    args: tuple[str, ...] = (),
) -> DemoServer:
    """Run `kiosk demo` and wait until /healthz answers 200."""
    port = free_port()
    return start_kiosk(
        data_dir, ("demo", "--bind", f"127.0.0.1:{port}", *args), port, extra_env, timeout
    )


def kiosk_env(data_dir: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a `kiosk` command on ``data_dir``, free of the caller's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        {
            "KIOSK_DATA_DIR": str(data_dir),
            "KIOSK_MODEL_DIR": str(data_dir / "models"),
            **(extra_env or {}),
        }
    )
    return env


def kiosk_command() -> str:
    """The `kiosk` command of this virtual environment."""
    return str(Path(sys.executable).parent / "kiosk")


def start_kiosk(
    data_dir: Path,
    args: tuple[str, ...],
    port: int,
    extra_env: dict[str, str] | None = None,
    timeout: float = 60,
) -> DemoServer:
    """Run `kiosk <args>` serving on ``port`` and wait until /healthz answers 200."""
    process = subprocess.Popen(
        [kiosk_command(), *args],
        env=kiosk_env(data_dir, extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            assert process.stdout is not None
            with process.stdout:
                raise RuntimeError(f"kiosk {args[0]} exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return DemoServer(process, url, data_dir)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    process.wait()
    assert process.stdout is not None
    with process.stdout:
        raise RuntimeError(
            f"kiosk {args[0]} did not become healthy in time:\n{process.stdout.read()}"
        )
