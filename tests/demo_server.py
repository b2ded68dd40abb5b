"""Start the real `kiosk demo` (migrate, seed, gunicorn), or `kiosk run`, on a free port, for
tests that need the kiosk as it really runs, and talk to it over real HTTP the way
support.Kiosk talks to a test client."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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

    def read_until(self, text: str) -> str:
        """What the demo printed up to the line holding ``text`` (kept for output())."""
        assert self.process.stdout is not None
        seen = []
        for line in self.process.stdout:
            seen.append(line)
            if text in line:
                break
        self._seen = getattr(self, "_seen", "") + "".join(seen)
        return "".join(seen)

    def type_line(self, text: str) -> None:
        """Type a line in the demo's terminal (it shows it to the simulated QR scanner)."""
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def stop(self, timeout: float = 20) -> int:
        """Ctrl-C, then wait; returns the exit code. Kills it if it does not stop in time."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
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
            self._output = getattr(self, "_seen", "") + self.process.stdout.read()
            self.process.stdout.close()

    def output(self) -> str:
        """Everything the demo printed (after stop())."""
        self._collect()
        return getattr(self, "_output", "")


def start_demo(
    data_dir: Path | None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 60,
    args: tuple[str, ...] = (),
    *,
    cwd: Path | None = None,
) -> DemoServer:
    """Run `kiosk demo` and wait until /healthz answers 200.

    ``data_dir`` None leaves the demo's default (``var`` in ``cwd``), as `make demo` does.
    """
    port = free_port()
    return start_kiosk(
        data_dir, ("demo", "--bind", f"127.0.0.1:{port}", *args), port, extra_env, timeout,
        cwd=cwd,
    )


def kiosk_env(data_dir: Path | None, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a `kiosk` command on ``data_dir``, free of the caller's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    if data_dir is not None:
        env.update({"KIOSK_DATA_DIR": str(data_dir), "KIOSK_MODEL_DIR": str(data_dir / "models")})
    env.update(extra_env or {})
    return env


def kiosk_command() -> str:
    """The `kiosk` command of this virtual environment."""
    return str(Path(sys.executable).parent / "kiosk")


def start_kiosk(
    data_dir: Path | None,
    args: tuple[str, ...],
    port: int,
    extra_env: dict[str, str] | None = None,
    timeout: float = 60,
    *,
    cwd: Path | None = None,
) -> DemoServer:
    """Run `kiosk <args>` serving on ``port`` and wait until /healthz answers 200."""
    process = subprocess.Popen(
        [kiosk_command(), *args],
        env=kiosk_env(data_dir, extra_env),
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    server = DemoServer(process, url, data_dir or Path(cwd or Path.cwd()) / "var")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kiosk {args[0]} exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise RuntimeError(f"kiosk {args[0]} did not become healthy in time:\n{server.output()}")


class HttpAnswer:
    """A response over real HTTP, shaped like the test client's (for support.Kiosk)."""

    def __init__(self, status: int, body: bytes, url: str, headers: Any) -> None:
        self.status_code = status
        self.data = body
        self.headers = headers
        self.request = urllib.parse.urlsplit(url)  # .path, as the test client's request has

    def get_data(self, as_text: bool = False) -> Any:
        return self.data.decode("utf-8") if as_text else self.data


class HttpClient:
    """A browser without JavaScript on a running demo: cookies kept, redirects followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _send(self, request: urllib.request.Request) -> HttpAnswer:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return HttpAnswer(answer.status, answer.read(), answer.geturl(), answer.headers)
        except urllib.error.HTTPError as error:
            with error:
                return HttpAnswer(error.code, error.read(), error.geturl(), error.headers)

    def get(self, path: str, follow_redirects: bool = True, headers: Any = None) -> HttpAnswer:
        return self._send(urllib.request.Request(self.base_url + path, headers=headers or {}))

    def post(self, path: str, data: dict[str, str] | None = None, follow_redirects: bool = True,
             headers: Any = None) -> HttpAnswer:
        body = urllib.parse.urlencode(data or {}).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=body,
                                                 headers=headers or {}, method="POST"))
