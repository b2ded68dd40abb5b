"""Bearer tokens for the FHIR API: created once, stored only as a SHA-256, revocable.

The token is shown once, when it is created; the database keeps its SHA-256, so a copy of the
database hands out no working token. A plain hash (not argon2) is enough here because the token
is 256 random bits, not a password a person chose: there is nothing to guess. Looking the hash
up by equality leaks nothing useful either, since an attacker cannot choose what a hash starts
with.

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

from kiosk.db import Database, get_db
from kiosk.models import ApiToken, utcnow

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


def create_token(database: Database, name: str, role: str, now: datetime | None = None) -> str:
    """Create a token for ``role`` ("staff" or "doctor"); returns it (the only time it is seen)."""
    check_name(name)
    if role not in ROLES:
        raise TokenError(f"the role must be one of {', '.join(ROLES)}")
    token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with database.write() as db:
        db.add(
            ApiToken(name=name, role=role, token_hash=hash_token(token), created_at=now or utcnow())
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
@with_appcontext
def token_create(role: str, name: str) -> None:
    """Create a token and print it once; only its SHA-256 is kept."""
    try:
        token = create_token(get_db(current_app), name, role)
    except TokenError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from exc
    click.echo(token)
    click.echo(
        f"Token '{name}' ({role}) created. It is shown only now: store it in the client's secrets.",
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
