"""`kiosk staff add`: create a staff account (the password is never on the command line)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.core.db import get_db
from kiosk.core.records import Account, utcnow
from kiosk.security.accounts import hash_password
from kiosk.security.audit import record
from kiosk.staff.auth import STAFF_ROLES

MIN_PASSWORD = 10


@click.group("staff")
def staff_group() -> None:
    """Staff accounts (pharmacists, agents, admins)."""


@staff_group.command("add")
@click.argument("username")
@click.option("--name", required=True, help='the name shown on the portal, e.g. "Sophie Martin"')
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES))
@click.option("--title", default="",
              help='what the kiosk says, e.g. "pharmacienne" (default: from the role)')
@click.option("--password-stdin", is_flag=True,
              help="read the password from the first line of stdin (for scripts)")
@with_appcontext
def staff_add(username: str, name: str, role: str, title: str, password_stdin: bool) -> None:
    """Create the account USERNAME. The password is asked twice, without echo."""
    username = username.strip()
    if not username or len(username) > 100 or not username.isprintable() or " " in username:
        raise click.ClickException("the username must be 1 to 100 characters, without spaces")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password must have at least {MIN_PASSWORD} characters")
    with get_db().write() as db:
        if db.scalar(select(Account.id).where(Account.username == username)) is not None:
            raise click.ClickException(f"an account {username!r} already exists")
        account = Account(username=username, display_name=name.strip()[:200], role=role,
                          job_title=title.strip()[:100], password_hash=hash_password(password),
                          failed_attempts=0)
        db.add(account)
        db.flush()
        record(db, actor="system:cli", action="account.created",
               subject_ref=f"account:{account.id}", now=utcnow())
    click.echo(f"staff account {username} ({role}) created")
