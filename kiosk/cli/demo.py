"""`kiosk demo`: the whole kiosk on one machine, with demo data and simulated devices.

It migrates and seeds a SQLite database in the data folder, starts the simulators
(kiosk.devices.demo), serves the kiosk with gunicorn in unit mode, says where everything is,
and stops it all on Ctrl-C. What is typed in its terminal is shown to the simulated QR scanner.
"""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.cli.serve import gunicorn_command, wait_then_stop
from kiosk.core.db import get_db
from kiosk.core.migrate import upgrade
from kiosk.demo.data import DEMO_DOCTOR, DEMO_STAFF, seed_app
from kiosk.devices.demo import prints_folder, start_demo_devices
from kiosk.devices.service import url_of

if TYPE_CHECKING:
    from kiosk.devices.demo import DemoDevices


@click.command("demo")
@click.option("--bind", default=None,
              help="address and port to serve on  [default: the bind setting, 127.0.0.1:8000]")
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
def demo_command(bind: str | None, card_scenario: str, bp_seconds: float) -> None:
    """Migrate, seed and serve the demo kiosk in unit mode until Ctrl-C."""
    settings = current_app.config["KIOSK"]
    bind = bind or settings["bind"]
    database = get_db()
    if database.is_sqlite:
        Path(database.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(database.url)
    report = seed_app(current_app)
    database.dispose()
    click.echo(f"demo database ready: {report.slots_total} slots over the next days")

    data_dir = Path(settings["data_dir"])
    devices = start_demo_devices(data_dir, card_scenario=card_scenario,
                                 bp_measure_time=bp_seconds)
    for problem in devices.problems:
        click.echo(f"  warning: {problem}")
    if not _loopback(bind):
        click.echo(f"  warning: {bind} is reachable from other machines, and the demo's "
                   "logins below are public")
    argv, env = gunicorn_command({"KIOSK_MODE": "unit", "KIOSK_BIND": bind, **devices.env})
    try:
        server = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL)
    except BaseException:
        devices.stop()
        raise
    url = url_of(bind)
    click.echo("")
    click.echo(f"  Kiosk:          {url}/")
    click.echo(f"  Doctor portal:  {url}/doctor/   login {DEMO_DOCTOR[0]} / {DEMO_DOCTOR[1]}")
    click.echo(f"  Staff portal:   {url}/staff/    login {DEMO_STAFF[0]} / {DEMO_STAFF[1]}")
    click.echo(f"  Health:         {url}/healthz")
    click.echo("                  (open a portal in another browser or a private window: it "
               "shares the kiosk's cookie)")
    click.echo("  Devices:        simulated cuff, card, printer and scanner (`kiosk devices`)")
    click.echo(f"  Prints:         a picture and a text of each in {prints_folder(data_dir)}")
    click.echo("  QR scanner:     type a ticket's code here and press Enter to show it")
    click.echo("  Stop with Ctrl-C.")
    click.echo("")
    threading.Thread(target=_scan_typed_codes, args=(devices,), name="demo-scanner",
                     daemon=True).start()
    try:
        wait_then_stop([server])
    finally:
        devices.stop()


def _loopback(bind: str) -> bool:
    host = bind.rpartition(":")[0].strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _scan_typed_codes(devices: DemoDevices) -> None:
    """Each line typed in the demo's terminal is a code held under the simulated scanner."""
    for line in sys.stdin:
        if line.strip():
            devices.scan(line.strip())
