"""Field encryption: the key lives in a file, values round-trip, racing creators agree."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest

from kiosk.security.vault import Vault, VaultError


def test_values_round_trip_and_the_key_file_is_private(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "keys" / "fields.key")
    token = vault.encrypt("253072B07300470")
    assert "253072" not in token
    assert vault.decrypt(token) == "253072B07300470"
    assert stat.S_IMODE((tmp_path / "keys" / "fields.key").stat().st_mode) == 0o600


def test_another_key_cannot_open_a_value(tmp_path: Path) -> None:
    token = Vault(tmp_path / "a.key").encrypt("secret")
    with pytest.raises(VaultError):
        Vault(tmp_path / "b.key").decrypt(token)


def _encrypt(path: str, start, results) -> None:
    start.wait()
    results.put(Vault(Path(path)).encrypt("same value"))


def test_processes_creating_the_key_at_once_end_up_with_one_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(6), context.Queue()
    key = str(tmp_path / "keys" / "fields.key")
    workers = [context.Process(target=_encrypt, args=(key, start, results)) for _ in range(6)]
    for worker in workers:
        worker.start()
    tokens = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    reader = Vault(Path(key))
    assert all(reader.decrypt(token) == "same value" for token in tokens)
    assert [p.name for p in (tmp_path / "keys").iterdir()] == ["fields.key"]  # no leftovers
