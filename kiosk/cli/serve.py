"""Serving the kiosk with gunicorn, for `kiosk run` and `kiosk demo`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import click


def gunicorn_command(extra_env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The gunicorn command line and environment for the configured mode."""
    env = dict(os.environ, **(extra_env or {}))
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:kiosk.gunicorn_conf",
        "kiosk.wsgi:app",
    ]
    return argv, env


def wait_then_stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Wait for the first child to exit or for Ctrl-C / SIGTERM, then stop them all."""
    stop = {"asked": False}

    def on_signal(_signum: int, _frame: Any) -> None:
        stop["asked"] = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop["asked"] and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    click.echo("demo stopped")
    failed = [c.returncode for c in children if c.returncode not in (0, -signal.SIGTERM)]
    if failed and not stop["asked"]:
        raise click.ClickException(f"the server stopped on its own (exit {failed[0]})")
