"""Fixtures shared by every test: apps on a real database, clients, PostgreSQL databases."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from support import Kiosk

from kiosk import create_app
from kiosk.core.db import get_db
from kiosk.core.migrate import upgrade
from peripherals.sim import pcscd as sim_pcscd

# Card tests talk to one private pcscd (peripherals.sim.pcscd) for the whole run: libpcsclite
# keeps the socket path a process first uses, so it is set before any test reads a card.
PCSC_FOLDER = Path(tempfile.mkdtemp(prefix="kiosk-pcscd-"))
os.environ["PCSCLITE_CSOCK_NAME"] = str(PCSC_FOLDER / "pcscd.comm")

POSTGRES_ADMIN_URL = os.environ.get(
    "KIOSK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "kiosk.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_sqlite: Path) -> dict[str, Any]:
    """Kiosk settings for one test: its own data folder holding a fresh migrated database."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(migrated_sqlite, data_dir / "kiosk.db")
    return {"data_dir": str(data_dir), "model_dir": str(tmp_path / "models"), "TESTING": True}


@pytest.fixture
def app(settings: dict[str, Any]) -> Iterator[Flask]:
    """The kiosk app on a fresh SQLite database."""
    application = create_app(settings)
    yield application
    get_db(application).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def kiosk(client: FlaskClient) -> Kiosk:
    """A person at the kiosk."""
    return Kiosk(client)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def _admin(sql: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the PostgreSQL server; the suite fails (not skips) if it is down."""
    try:
        _admin("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not answering at {POSTGRES_ADMIN_URL} "
            f"(run deploy/dev-postgres.sh): {exc}"
        )
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind the kiosk supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'storage.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one for the whole run (tests/browser and the
    browser items of tests/security share it: Playwright's sync API cannot run twice)."""
    from kiosk_browser import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def virtual_readers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[sim_pcscd.PrivatePcscd]:
    """The run's private pcscd with vpcd's two virtual readers; cards go in with
    ``peripherals.sim.run("card", scenario, readers=virtual_readers, slot=...)``."""
    try:
        readers = sim_pcscd.start(tmp_path_factory.mktemp("pcscd") / "pcscd.log",
                                  folder=PCSC_FOLDER)
    except sim_pcscd.PcscdError as exc:
        pytest.fail(str(exc))
    yield readers
    readers.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(PCSC_FOLDER, ignore_errors=True)  # when no test needed the pcscd
