"""Server time per kiosk screen and requests per second, as ratios of a bare Flask ceiling.

Both servers run in the same run under the same gunicorn settings as a kiosk unit (gthread, one
worker, KIOSK_THREADS threads): the kiosk in demo mode (SQLite, seeded), and bench/ceiling.py,
a Flask app that returns a constant string. They are measured one after the other, never at
once, so they do not share the two cores.

Usage:  .venv/bin/python bench/screens.py [--seconds 5] [--clients 4] [--write bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREADS = int(os.environ.get("KIOSK_THREADS", "4"))


@dataclass(frozen=True)
class Target:
    """One thing to measure: a path with the headers a person's browser would send."""

    name: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(port: int, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} not healthy")


def gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The unit-mode gunicorn settings, for either app."""
    argv = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "1",
            "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            app]
    return subprocess.Popen(argv, env=env, cwd=ROOT)


def engaged_cookie(port: int) -> str:
    """A visit that has begun the booking journey, as a person would start it."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, "no csrf token on the welcome page"
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "journey": "booking"})
    conn.request("POST", "/start", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 303, answer.status
    return cookie


def _client(args: tuple[int, Target, float, int]) -> list[float]:
    port, target, seconds, max_requests = args
    conn = http.client.HTTPConnection("127.0.0.1", port)
    latencies = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and len(latencies) < max_requests:
        start = time.perf_counter()
        conn.request("GET", target.path, headers=dict(target.headers))
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{target.name}: HTTP {response.status}")
    conn.close()
    return latencies


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    p95_ms: float
    rps: float


def measure(port: int, target: Target, seconds: float, clients: int) -> Result:
    """Latency with one client at a time (time per screen), then throughput with ``clients``."""
    _client((port, target, 0.5, 10_000))  # warm up
    single = _client((port, target, seconds, 100_000))
    with multiprocessing.Pool(clients) as pool:
        started = time.perf_counter()
        runs = pool.map(_client, [(port, target, seconds, 1_000_000)] * clients)
        elapsed = time.perf_counter() - started
    total = sum(len(run) for run in runs)
    ordered = sorted(single)
    return Result(target.name, statistics.median(single) * 1000,
                  ordered[int(len(ordered) * 0.95)] * 1000, total / elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "RESULTS.md")
    options = parser.parse_args()

    results: list[Result] = []
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        env.update({"KIOSK_DATA_DIR": data, "KIOSK_MODE": "unit", "PYTHONPATH": str(ROOT)})
        subprocess.run([sys.executable, "-m", "kiosk.cli", "db", "upgrade"], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "kiosk.cli", "seed-demo"], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)

        port = free_port()
        server = gunicorn("bench.ceiling:app", port, env)
        try:
            wait_healthy(port, "/")
            ceiling = measure(port, Target("ceiling: constant string", "/"), options.seconds,
                              options.clients)
        finally:
            server.terminate()
            server.wait()

        port = free_port()
        server = gunicorn("kiosk.wsgi:app", port, env)
        try:
            wait_healthy(port, "/healthz")
            cookie = engaged_cookie(port)
            targets = [
                Target("welcome, returning visit", "/", (("Cookie", engaged_cookie(port)),)),
                Target("booking screen, full page", "/booking/", (("Cookie", cookie),)),
                Target("booking screen, htmx partial", "/booking/",
                       (("Cookie", cookie), ("HX-Request", "true"))),
                Target("healthz", "/healthz"),
            ]
            for target in targets:
                results.append(measure(port, target, options.seconds, options.clients))
        finally:
            server.terminate()
            server.wait()

    report = render(ceiling, results, options)
    print(report)
    if options.write:
        options.write.write_text(report, encoding="utf-8")
    return 0


def render(ceiling: Result, results: list[Result], options: argparse.Namespace) -> str:
    """The Markdown written to bench/RESULTS.md."""
    command = "make bench   # bench/screens.py " + shlex.join(sys.argv[1:]) + " then bench/voice.py"
    lines = [
        "# Benchmark results",
        "",
        "Server time per kiosk screen and requests per second, against a bare Flask endpoint",
        "served by the same gunicorn settings in the same run (the ceiling).",
        "",
        f"- Command: `{command.strip()}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        f"- gunicorn: gthread, 1 worker, {THREADS} threads (unit mode); SQLite with WAL and "
        "synchronous=FULL; clients on the same machine; devices and speech not started (the "
        "speech of a screen is a cache hit after its first visit)",
        f"- Each figure: {options.seconds:g} s with 1 client (latency), then {options.seconds:g} s "
        f"with {options.clients} client processes (throughput)",
        "",
        "| what | median ms | p95 ms | requests/s | time vs ceiling | throughput vs ceiling |",
        "|---|---:|---:|---:|---:|---:|",
        f"| {ceiling.name} | {ceiling.median_ms:.2f} | {ceiling.p95_ms:.2f} | "
        f"{ceiling.rps:.0f} | 1.00 | 1.00 |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} | {r.p95_ms:.2f} | {r.rps:.0f} | "
            f"{r.median_ms / ceiling.median_ms:.2f}x | {r.rps / ceiling.rps:.2f} |")
    lines += ["", "Raw figures as JSON:", "", "```json",
              json.dumps({"ceiling": ceiling.__dict__, "screens": [r.__dict__ for r in results]},
                         indent=1),
              "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
