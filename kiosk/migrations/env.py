"""Alembic environment: runs against the URL the kiosk passes in, never a hard-coded one."""

from __future__ import annotations

from alembic import context

from kiosk.core.db import make_engine
from kiosk.core.records import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Migrate through a connection given by the caller, or one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as conn:
            context.configure(
                connection=conn, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; use `kiosk db upgrade`")
run_migrations_online()
