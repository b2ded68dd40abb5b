"""Who is calling the FHIR API: a bearer token, and what its role allows.

Roles are checked in each view (SECURITY.md item 21), through ``require``. What records a
token reaches is ``kiosk.fhir.scope``'s business (item 26).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, g, request

from kiosk.core.db import get_db
from kiosk.core.records import ApiToken
from kiosk.fhir.outcome import Forbidden, Unauthenticated
from kiosk.security.tokens import verify_token

P = ParamSpec("P")
R = TypeVar("R")

# RFC 6750: the challenge names the scheme; "invalid_token" only when one was sent.
CHALLENGE = 'Bearer realm="kiosk-fhir"'


def bearer_token() -> str | None:
    """The token in ``Authorization: Bearer <token>``, or None if there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def caller() -> ApiToken:
    """The token record of this request (set by ``require``)."""
    record: ApiToken = g.fhir_token
    return record


def actor() -> str:
    """How the audit journal names this caller: ``api:<token name>``."""
    return f"api:{caller().name}"


def authenticate() -> ApiToken:
    """The live token of this request; raises Unauthenticated (401) otherwise."""
    token = bearer_token()
    if token is None:
        raise Unauthenticated(
            "This API needs a bearer token: Authorization: Bearer <token>.",
            {"WWW-Authenticate": CHALLENGE},
        )
    record = verify_token(get_db(), token)
    if record is None:
        # Log the fact, never the token: a near-miss could be a real token with a typo.
        current_app.logger.info("fhir: refused an unknown or revoked bearer token")
        raise Unauthenticated(
            "The bearer token is unknown or revoked.",
            {"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    return record


def require(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a view: the caller needs a live token whose role is one of ``roles``."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            record = authenticate()
            if record.role == "doctor" and record.practitioner_id is None:
                # Made before tokens were bound to a doctor: it must never see every doctor's
                # patients, so it reaches nothing, and says how to get one that works.
                raise Forbidden(
                    "This doctor token names no practitioner, so it reaches nothing. Create "
                    "one with: kiosk token create --role doctor --practitioner <RPPS or id>; "
                    "then revoke this one."
                )
            if record.role not in roles:
                raise Forbidden(f"A {record.role} token may not do this.")
            g.fhir_token = record
            return view(*args, **kwargs)

        return checked

    return decorate
