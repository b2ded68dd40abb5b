"""The app's side of the devices: what screens ask of them, with plain outcomes.

The device manager (peripherals/) runs in the gunicorn worker once started; until then, or
without a device, every call answers at once rather than waiting. Device errors never reach a
person as an error page (SECURITY.md item 16).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

def manager() -> Any | None:
    """The running device manager, if any."""
    return current_app.extensions.get("kiosk_devices")


def state(kind: str) -> str:
    """One device's state: ok, unavailable, unknown, or not_configured (also with no manager)."""
    devices = manager()
    if devices is None:
        return "not_configured"
    return str(devices.health()[kind].state)


def admin_token_file() -> Path:
    return Path(current_app.config["KIOSK"]["data_dir"]) / "admin.token"


# Where the kiosk serving a data folder listens, for the commands run beside it (`kiosk
# devices`): the demo may listen on any port, and the commands read the same settings, so they
# find this file in the same data folder.
ADDRESS_FILE = "kiosk.url"


def url_of(bind: str) -> str:
    """The URL a command on this machine uses to reach gunicorn bound to ``bind``."""
    host, _sep, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def write_address(settings: dict[str, Any]) -> None:
    """Say where this kiosk listens (a 0600 file in the data folder)."""
    path = Path(settings["data_dir"]) / ADDRESS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(url_of(settings["bind"]) + "\n")


def forget_address(settings: dict[str, Any]) -> None:
    """The kiosk stops: remove the file if it still names this kiosk."""
    path = Path(settings["data_dir"]) / ADDRESS_FILE
    with contextlib.suppress(OSError):
        if path.read_text(encoding="ascii").strip() == url_of(settings["bind"]):
            path.unlink()


def kiosk_url(settings: dict[str, Any]) -> str:
    """The running kiosk of these settings: the address it wrote, else the configured bind."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        written = (Path(settings["data_dir"]) / ADDRESS_FILE).read_text(encoding="ascii").strip()
        if written.startswith("http://"):
            return written
    return url_of(settings["bind"])


def admin_token() -> str:
    """A secret only this machine's operator can read (0600), for `kiosk devices test`."""
    path = admin_token_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii").strip()
