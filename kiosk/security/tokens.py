"""Bearer tokens for the FHIR API: created once, stored only as a SHA-256, revocable.

The token is shown once, when it is created; the database keeps its SHA-256, so a copy of the
database hands out no working token. A plain hash (not argon2) is enough here because the token
is 256 random bits, not a password a person chose: there is nothing to guess. Looking the hash
up by equality leaks nothing useful either, since an attacker cannot choose what a hash starts
with.

A doctor's token is bound to one practitioner, named by RPPS number or id when it is created:
through it the API reaches only that doctor's appointments, patients and readings (SECURITY.md
item 26). A staff token is bound to none.

``token_group`` is the ``kiosk token`` command (``create`` and ``revoke``); the CLI attaches it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.core.db import Database, get_db
from kiosk.core.records import ApiToken, Practitioner, utcnow

ROLES = ("staff", "doctor")
# The prefix lets secret scanners (and people) recognise a leaked kiosk token.
PREFIX = "kiosk_"
TOKEN_BYTES = 32
# The name ends up in the audit journal as "api:<name>" (100 characters at most): keep it short
# and free of anything that could pass for personal data or break a log line.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
# A well-formed token is the prefix and 43 URL-safe base64 characters; anything else is refused
# before hashing, so a huge header costs nothing.
TOKEN_PATTERN = re.compile(re.escape(PREFIX) + r"[A-Za-z0-9_-]{43}")
RPPS_PATTERN = re.compile(r"[0-9]{11}", re.ASCII)


class TokenError(ValueError):
    """A token cannot be created as asked (bad name or role)."""


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of a token, as stored in ``api_token.token_hash``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    """A token name: a letter or digit, then letters, digits, dot, dash or underscore (max 60)."""
    if not NAME_PATTERN.fullmatch(name):
        raise TokenError(
            "the name must be 1 to 60 characters: letters, digits, '.', '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def find_practitioner(database: Database, named: str) -> int:
    """The id of the practitioner named by an RPPS number (11 digits) or a database id."""
    with database.read() as db:
        if RPPS_PATTERN.fullmatch(named):
            found = db.scalar(select(Practitioner.id).where(Practitioner.rpps == named))
        elif named.isascii() and named.isdigit() and len(named) <= 9:
            found = db.scalar(select(Practitioner.id).where(Practitioner.id == int(named)))
        else:
            raise TokenError("name the practitioner by RPPS number (11 digits) or by id")
    if found is None:
        raise TokenError(f"no practitioner has the RPPS number or id {named}")
    return int(found)


def create_token(database: Database, name: str, role: str, now: datetime | None = None,
                 practitioner_id: int | None = None) -> str:
    """Create a token for ``role`` ("staff" or "doctor"); returns it (the only time it is seen).

    A doctor's token needs ``practitioner_id``, the doctor it acts for; a staff token has none.
    """
    check_name(name)
    if role not in ROLES:
        raise TokenError(f"the role must be one of {', '.join(ROLES)}")
    if (role == "doctor") != (practitioner_id is not None):
        raise TokenError("a doctor token names its practitioner (--practitioner RPPS-or-id); "
                         "a staff token names none")
    token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with database.write() as db:
        db.add(
            ApiToken(name=name, role=role, token_hash=hash_token(token), created_at=now or utcnow(),
                     practitioner_id=practitioner_id)
        )
    return token


def verify_token(database: Database, token: str) -> ApiToken | None:
    """The live (not revoked) token record for ``token``, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    with database.read() as db:
        record = db.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if record is None or record.revoked_at is not None:
        return None
    return record


def revoke_tokens(database: Database, name: str, now: datetime | None = None) -> int:
    """Revoke every live token called ``name``; returns how many were revoked."""
    with database.write() as db:
        live = db.scalars(
            select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
        ).all()
        for record in live:
            record.revoked_at = now or utcnow()
        return len(live)


@click.group("token")
def token_group() -> None:
    """Bearer tokens for the FHIR API."""


@token_group.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="what the token may do")
@click.option("--name", required=True, help="who uses it, e.g. agenda-cabinet (shown in audits)")
@click.option("--practitioner", default=None,
              help="for a doctor token: the doctor's RPPS number or practitioner id")
@with_appcontext
def token_create(role: str, name: str, practitioner: str | None) -> None:
    """Create a token and print it once; only its SHA-256 is kept."""
    database = get_db(current_app)
    try:
        check_name(name)
    except TokenError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from exc
    try:
        if (role == "doctor") != (practitioner is not None):
            raise TokenError("a doctor token needs --practitioner (RPPS number or id); "
                             "a staff token takes none")
        practitioner_id = find_practitioner(database, practitioner) if practitioner else None
        token = create_token(database, name, role, practitioner_id=practitioner_id)
    except TokenError as exc:
        raise click.BadParameter(str(exc), param_hint="--practitioner") from exc
    click.echo(token)
    bound = f" for practitioner {practitioner_id}" if practitioner_id else ""
    click.echo(
        f"Token '{name}' ({role}{bound}) created. It is shown only now: "
        "store it in the client's secrets.",
        err=True,
    )


@token_group.command("revoke")
@click.option("--name", required=True, help="the name given at creation")
@with_appcontext
def token_revoke(name: str) -> None:
    """Revoke every live token with this name."""
    count = revoke_tokens(get_db(current_app), name)
    if count == 0:
        raise click.ClickException(f"no live token is called '{name}'")
    click.echo(f"{count} token(s) called '{name}' revoked")
