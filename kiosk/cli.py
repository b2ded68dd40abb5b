"""The ``kiosk`` command: run, demo, database, demo data and configuration.

It is a Flask CLI group, so each command gets the app built from the same layered configuration
as the web server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from kiosk import create_app, kiosk_config
from kiosk.config import ConfigError, describe
from kiosk.db import get_db
from kiosk.keys import keys_group
from kiosk.speech_cli import models_group, speech_group
from kiosk.staff.cli import staff_group
from kiosk.tokens import token_group

DEMO_BIND = "127.0.0.1:8000"


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
    from kiosk.migrate import upgrade

    url = get_db().url
    if get_db().is_sqlite:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url, revision)
    click.echo(f"database at revision {revision}")


@cli.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo site, doctors, slots and accounts (only in a demo database)."""
    report = _seed(current_app)
    click.echo(
        ("demo data created" if report.created_site else "demo data already present")
        + f"; {report.slots_created} new slots, {report.slots_total} in all"
    )


def _seed(app: Flask) -> Any:
    from kiosk.seed import seed_demo

    settings = app.config["KIOSK"]
    return seed_demo(
        get_db(app), settings["site_name"], settings["timezone"], settings["slot_minutes"]
    )


@cli.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete what is past its retention period (run daily by kiosk-purge.timer)."""
    from kiosk.models import utcnow
    from kiosk.purge import purge

    report = purge(get_db(), current_app.config["KIOSK"], utcnow())
    click.echo(", ".join(f"{count} {kind.replace('_', ' ')}"
                         for kind, count in vars(report).items()) + " deleted")


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


@cli.command("demo")
@click.option("--bind", default=DEMO_BIND, show_default=True)
@click.option(
    "--card",
    "card_scenario",
    default="normal",
    show_default=True,
    help="the simulated card in the slot: normal, family, corsican, not_vitale, ...",
)
@click.option("--bp-seconds", default=8.0, show_default=True,
              help="how long the simulated cuff takes for one reading")
@with_appcontext
def demo_command(bind: str, card_scenario: str, bp_seconds: float) -> None:
    """Migrate, seed and serve the demo kiosk in unit mode until Ctrl-C."""
    from kiosk.migrate import upgrade
    from kiosk.seed import DEMO_DOCTOR, DEMO_STAFF

    database = get_db()
    if database.is_sqlite:
        Path(database.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(database.url)
    report = _seed(current_app)
    database.dispose()
    click.echo(f"demo database ready: {report.slots_total} slots over the next days")

    from kiosk.demo_devices import start_demo_devices

    devices = start_demo_devices(
        Path(current_app.config["KIOSK"]["data_dir"]), card_scenario=card_scenario,
        bp_measure_time=bp_seconds,
    )
    for problem in devices.problems:
        click.echo(f"  warning: {problem}")
    argv, env = gunicorn_command({"KIOSK_MODE": "unit", "KIOSK_BIND": bind, **devices.env})
    try:
        server = subprocess.Popen(argv, env=env)
    except BaseException:
        devices.stop()
        raise
    click.echo("")
    click.echo(f"  Kiosk:          http://{bind}/")
    click.echo(f"  Health:         http://{bind}/healthz")
    click.echo(f"  Staff portal:   http://{bind}/staff/")
    click.echo(f"  Staff login:    {DEMO_STAFF[0]} / {DEMO_STAFF[1]}")
    click.echo(f"  Doctor login:   {DEMO_DOCTOR[0]} / {DEMO_DOCTOR[1]}")
    click.echo("  Devices:        simulated cuff, card, printer and scanner (`kiosk devices`)")
    click.echo("  Stop with Ctrl-C.")
    click.echo("")
    try:
        _wait_then_stop([server])
    finally:
        devices.stop()


def _wait_then_stop(children: list[subprocess.Popen[bytes]]) -> None:
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


@cli.command("simulate", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def simulate_command(args: tuple[str, ...]) -> None:
    """Run one simulated device: bp|card|printer|scanner --scenario NAME (until Ctrl-C)."""
    from peripherals.sim.__main__ import main as simulate

    raise SystemExit(simulate(list(args)))


@cli.group("devices", invoke_without_command=True)
@click.pass_context
def devices_group(ctx: click.Context) -> None:
    """The state of each device (asks the running kiosk, or opens them itself)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(devices_status)


def _kiosk_url() -> str:
    return f"http://{current_app.config['KIOSK']['bind']}"


@devices_group.command("status", hidden=True)
@with_appcontext
def devices_status() -> None:
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(_kiosk_url() + "/healthz", timeout=5) as answer:
            states = json.load(answer)["devices"]
        source = "running kiosk"
    except urllib.error.HTTPError as exc:
        states = json.load(exc)["devices"]
        source = "running kiosk"
    except OSError:
        states = _own_manager_health()
        source = "opened by this command (no kiosk running)"
    click.echo(f"Devices ({source}):")
    for kind in ("bp", "card", "printer", "scanner"):
        state = states.get(kind, {})
        error = f"  {state['error']}" if state.get("error") else ""
        click.echo(f"  {kind:<8} {state.get('state', 'unknown'):<15}{error}")


def _own_manager_health(settle: float = 3.0) -> dict[str, Any]:
    """Open the devices here, give them ``settle`` seconds to answer, and report."""
    from peripherals.manager import DeviceManager

    def settled(states: dict[str, Any]) -> bool:
        return all(
            s["state"] in ("ok", "not_configured") or (k, s["state"]) == ("printer", "unknown")
            for k, s in states.items()
        )

    with DeviceManager(current_app.config["KIOSK"]) as manager:
        deadline = time.monotonic() + settle
        states = {k: h.to_dict() for k, h in manager.health().items()}
        while not settled(states) and time.monotonic() < deadline:
            time.sleep(0.2)
            states = {k: h.to_dict() for k, h in manager.health().items()}
        return states


@devices_group.command("test")
@click.argument("kinds", nargs=-1, type=click.Choice(["bp", "card", "printer", "scanner"]))
@with_appcontext
def devices_test(kinds: tuple[str, ...]) -> None:
    """Self-test each device; for the cuff, one full measurement."""
    import json
    import urllib.error
    import urllib.request

    from kiosk.devices import admin_token

    failed = False
    for kind in kinds or ("bp", "card", "printer", "scanner"):
        request = urllib.request.Request(
            f"{_kiosk_url()}/devices/self-test/{kind}",
            method="POST",
            headers={"X-Kiosk-Admin": admin_token()},
        )
        try:
            with urllib.request.urlopen(request, timeout=200) as answer:
                result = json.load(answer)
        except urllib.error.HTTPError as exc:
            result = {"ok": False, "summary": f"the kiosk refused ({exc.code})"}
        except OSError:
            result = _own_self_test(kind)
        failed = failed or not result["ok"]
        click.echo(f"  {kind:<8} {'ok' if result['ok'] else 'FAILED':<7} {result['summary']}")
    if failed:
        raise SystemExit(1)


def _own_self_test(kind: str) -> dict[str, Any]:
    from peripherals.errors import PeripheralError
    from peripherals.manager import DeviceManager

    with DeviceManager(current_app.config["KIOSK"]) as manager:
        try:
            result = manager.self_test(kind)
        except PeripheralError as exc:
            return {"ok": False, "summary": str(exc)}
        return {"ok": result.ok, "summary": result.summary}


def main() -> None:
    """Console entry point."""
    cli(prog_name="kiosk")


if __name__ == "__main__":
    main()
