"""Who may use the staff portal, checked in each view (never only in a template)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, g, redirect, request, session, url_for

from kiosk.core.db import get_db
from kiosk.core.records import Account

STAFF_ROLES = ("agent", "pharmacist", "admin")
ACCOUNT_KEY = "staff_id"

F = TypeVar("F", bound=Callable[..., Any])


def staff_required(*roles: str) -> Callable[[F], F]:
    """Only a signed-in staff account with one of ``roles`` (default: any staff role) reaches
    the view; a doctor's or another role's gets 403, nobody signed in gets the sign-in form.
    The account is read fresh on each request, so a changed role applies at once. Sets
    ``g.staff``."""
    allowed = roles or STAFF_ROLES

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            account_id = session.get(ACCOUNT_KEY)
            if not isinstance(account_id, int):
                if request.headers.get("HX-Request") == "true":
                    # The live refresh: send the whole page to the sign-in, not into a box.
                    return Response(status=204, headers={"HX-Redirect": url_for("staff.login")})
                return redirect(url_for("staff.login"), 303)
            with get_db().read() as db:
                account = db.get(Account, account_id)
            if account is None or account.role not in allowed:
                g.staff = account if account is not None and account.role in STAFF_ROLES \
                    else None
                abort(403)
            g.staff = account
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
