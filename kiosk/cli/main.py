"""The ``kiosk`` command: run, demo, database, demo data and configuration.

It is a Flask CLI group, so each command gets the app built from the same layered configuration
as the web server.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from kiosk import create_app, kiosk_config
from kiosk.cli.demo import demo_command
from kiosk.cli.devices import devices_group
from kiosk.cli.serve import gunicorn_command
from kiosk.cli.speech import models_group, speech_group
from kiosk.core.config import ConfigError, describe
from kiosk.core.db import get_db
from kiosk.core.migrate import upgrade
from kiosk.core.records import utcnow
from kiosk.demo.data import seed_app
from kiosk.security.keys import keys_group
from kiosk.security.purge import purge_app
from kiosk.security.tokens import token_group
from kiosk.staff.cli import staff_group


def _make_app() -> Flask:
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from exc


def _use_config(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    # Set before the app is built, so every layer (and gunicorn's workers) sees the same file.
    if value:
        os.environ["KIOSK_CONFIG"] = str(Path(value).resolve())


@click.group(
    cls=FlaskGroup,
    create_app=_make_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    expose_value=False,
    is_eager=True,
    callback=_use_config,
    help="TOML configuration file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)",
)
def cli() -> None:
    """Accessible teleconsultation kiosk."""


cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(token_group)
cli.add_command(models_group)
cli.add_command(speech_group)
cli.add_command(staff_group)
cli.add_command(keys_group)
cli.add_command(demo_command)
cli.add_command(devices_group)


@cli.command("run")
def run_command() -> None:
    """Serve the kiosk with gunicorn in the configured mode (unit or server)."""
    argv, env = gunicorn_command()
    os.execvpe(argv[0], argv, env)


@cli.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply the Alembic migrations."""
    url = get_db().url
    if get_db().is_sqlite:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url, revision)
    click.echo(f"database at revision {revision}")


@cli.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo site, doctors, slots and accounts (only in a demo database)."""
    report = seed_app(current_app)
    click.echo(
        ("demo data created" if report.created_site else "demo data already present")
        + f"; {report.slots_created} new slots, {report.slots_total} in all"
    )


@cli.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete what is past its retention period (run daily by kiosk-purge.timer)."""
    report = purge_app(current_app, utcnow())
    click.echo(", ".join(f"{count} {kind.replace('_', ' ')}"
                         for kind, count in report.counts().items()) + " deleted")


@cli.group("config")
def config_group() -> None:
    """Configuration."""


@config_group.command("show")
@with_appcontext
def config_show() -> None:
    """Print every setting, its value and where the value came from."""
    rows = describe(kiosk_config(current_app))
    width = max(len(name) for name, _value, _source in rows)
    value_width = min(max(len(value) for _name, value, _source in rows), 40)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value:<{value_width}}  {source}")


@cli.command("simulate", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def simulate_command(args: tuple[str, ...]) -> None:
    """Run one simulated device: bp|card|printer|scanner --scenario NAME (until Ctrl-C)."""
    from peripherals.sim.__main__ import main as simulate

    raise SystemExit(simulate(list(args)))


def main() -> None:
    """Console entry point."""
    cli(prog_name="kiosk")

