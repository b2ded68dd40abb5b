"""Database access: one engine per app, created on first use, never at import or factory time.

gunicorn forks after loading the app (SECURITY.md item 12), so a connection opened in the factory
would be shared by every worker. SQLite gets WAL, a busy timeout, synchronous=FULL and foreign keys;
write transactions are begun IMMEDIATE so racing writers queue instead of failing with
"database is locked" half-way through (SECURITY.md item 13).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Delete, Update, create_engine, event, text
from sqlalchemy.engine import CursorResult, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

# A writer waits this long for another's transaction before SQLite says "locked". Waiting a
# few more seconds on a busy unit is better than an error on the person's screen.
SQLITE_BUSY_TIMEOUT_MS = 15000
_IMMEDIATE = "kiosk_begin_immediate"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url(settings: dict[str, Any]) -> str:
    """The URL from the settings, or SQLite in the data folder."""
    if settings["database_url"]:
        return normalise_url(settings["database_url"])
    path = Path(settings["data_dir"]).resolve() / "kiosk.db"
    return f"sqlite:///{path}"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    if conn.get_execution_options().get(_IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """Build an engine with the kiosk's connection settings; connects lazily."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """Holds the app's engine and session factories; built on first use in each process."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = make_engine(self.url)
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection (after fork, at shutdown, in tests)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Closing it ends the transaction; loaded objects stay usable."""
        with sessionmaker(self.engine, expire_on_commit=False)() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, begun IMMEDIATE on SQLite; committed on success, else rolled back.

        IMMEDIATE takes the write lock up front, so racing writers queue at BEGIN.
        """
        bind = self.engine.execution_options(**{_IMMEDIATE: True})
        with sessionmaker(bind, expire_on_commit=False)() as session:
            with session.begin():
                yield session

    def ping(self) -> None:
        """Run a trivial query; raises if the database cannot serve."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def serialise(db: Session, name: str) -> None:
    """Hold the lock called ``name`` until ``db``'s write transaction ends: writers that take it
    run one after the other, each seeing what the previous one committed (a count that must not
    miss a row another request is adding at the same moment).

    PostgreSQL: a transaction-level advisory lock (its READ COMMITTED statements then see the
    previous holder's rows). SQLite: the IMMEDIATE write transaction already holds the
    database's one write lock, so there is nothing more to take."""
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big",
                             signed=True)
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def changed_rows(db: Session, statement: Delete | Update) -> int:
    """Run an UPDATE or a DELETE in ``db``; how many rows it changed."""
    result = db.execute(statement)
    # Without RETURNING, such a statement always gives a cursor's result (and its row count).
    assert isinstance(result, CursorResult), type(result)
    return int(result.rowcount or 0)


def init_app(app: Flask, url: str) -> None:
    """Attach a (not yet connected) Database to the app."""
    app.extensions["kiosk_db"] = Database(url)


def get_db(app: Flask | None = None) -> Database:
    """The current app's Database."""
    return (app or current_app).extensions["kiosk_db"]  # type: ignore[no-any-return]
