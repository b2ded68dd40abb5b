"""Encryption at rest for the NIR, phone numbers and health values (SECURITY.md item 19).

The key lives in a file outside the database (``<data_dir>/keys/fields.key``, mode 0600), so a
copy of the database alone reveals nothing. Several keys may be listed, newest first:
``MultiFernet`` decrypts with any of them and encrypts with the first, which is what a key
rotation needs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app


class VaultError(Exception):
    """A value could not be decrypted: wrong or missing key."""


class Vault:
    """Encrypts and decrypts short text values with the kiosk's field keys."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = key_file
        self._fernet: MultiFernet | None = None
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def _keys(self) -> MultiFernet:
        # `kiosk keys rotate` replaces the file while the kiosk runs: a changed file is read
        # again, so every process encrypts with the newest key as soon as it is written.
        stamp = self._stamp()
        if self._fernet is None or stamp != self._loaded_stamp:
            with self._lock:
                if self._fernet is None or self._stamp() != self._loaded_stamp:
                    if not self.key_file.exists():
                        self._create_key()
                    self._loaded_stamp = self._stamp()
                    self._fernet = MultiFernet([Fernet(k.encode()) for k in self.key_lines()])
        assert self._fernet is not None
        return self._fernet

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = self.key_file.stat()
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def key_lines(self) -> list[str]:
        """The keys in the file, newest first."""
        return self.key_file.read_text(encoding="ascii").split()

    def write_keys(self, keys: list[str]) -> None:
        """Replace the key file atomically (0600, written aside, synced, renamed)."""
        self.key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        spare = self.key_file.with_name(f".{self.key_file.name}.{os.getpid()}.new")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("".join(key + "\n" for key in keys))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(spare, self.key_file)

    def _create_key(self) -> None:
        self.key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written aside then linked into place: another process (a second worker) may create
        # the key at the same moment, and then both must end up using the same one.
        spare = self.key_file.with_name(f".{self.key_file.name}.{os.getpid()}")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(Fernet.generate_key().decode() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(spare, self.key_file)
        except FileExistsError:
            pass  # someone else's key won: use it
        finally:
            spare.unlink()

    def encrypt(self, value: str) -> str:
        """An opaque token for ``value``."""
        return self._keys().encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The value behind ``token``; raises VaultError if no key opens it."""
        try:
            return self._keys().decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise VaultError("no key opens this value") from exc


def init_app(app: Flask) -> None:
    """Attach the vault; its key file is read (or created) on first use, not here."""
    key_file = Path(app.config["KIOSK"]["data_dir"]) / "keys" / "fields.key"
    app.extensions["kiosk_vault"] = Vault(key_file)


def get_vault(app: Flask | None = None) -> Vault:
    """The current app's vault."""
    return (app or current_app).extensions["kiosk_vault"]  # type: ignore[no-any-return]
