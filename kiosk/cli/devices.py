"""`kiosk devices`: the state of each device, and `kiosk devices test`, a self-test of each.

Both ask the kiosk that serves these settings' data folder, wherever it listens (it writes its
address there, kiosk.devices.service.write_address); with no kiosk running, they open the devices
themselves and wait for them to open.
"""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.devices.service import admin_token, kiosk_url


@click.group("devices", invoke_without_command=True)
@click.pass_context
def devices_group(ctx: click.Context) -> None:
    """The state of each device (asks the running kiosk, or opens them itself)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(devices_status)


# How long `kiosk devices` waits for the devices it opens itself (no kiosk running): a device
# is not open the moment its thread starts, and a cuff or a card reader takes a moment.
OPEN_WAIT = 10.0


def _kiosk_url() -> str:
    return kiosk_url(current_app.config["KIOSK"])


@devices_group.command("status", hidden=True)
@with_appcontext
def devices_status() -> None:
    import json
    import urllib.error
    import urllib.request

    url = _kiosk_url()
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
            states = json.load(answer)["devices"]
        source = f"running kiosk at {url}"
    except urllib.error.HTTPError as exc:
        states = json.load(exc)["devices"]
        source = f"running kiosk at {url}"
    except OSError:
        states = _own_manager_health()
        source = "opened by this command (no kiosk running)"
    click.echo(f"Devices ({source}):")
    for kind in ("bp", "card", "printer", "scanner"):
        state = states.get(kind, {})
        error = f"  {state['error']}" if state.get("error") else ""
        click.echo(f"  {kind:<8} {state.get('state', 'unknown'):<15}{error}")


def _own_manager_health() -> dict[str, Any]:
    """Open the devices here, wait (bounded) until they are open, and report."""
    from peripherals.manager import DeviceManager

    with DeviceManager(current_app.config["KIOSK"]) as manager:
        manager.wait_open(OPEN_WAIT)
        return {k: h.to_dict() for k, h in manager.health().items()}


@devices_group.command("test")
@click.argument("kinds", nargs=-1, type=click.Choice(["bp", "card", "printer", "scanner"]))
@with_appcontext
def devices_test(kinds: tuple[str, ...]) -> None:
    """Self-test each device; for the cuff, one full measurement."""
    import json
    import urllib.error
    import urllib.request

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
        manager.wait_open(OPEN_WAIT, (kind,))
        try:
            result = manager.self_test(kind)
        except PeripheralError as exc:
            return {"ok": False, "summary": str(exc)}
        return {"ok": result.ok, "summary": result.summary}
