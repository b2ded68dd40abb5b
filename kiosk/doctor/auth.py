"""Only a signed-in doctor linked to a practitioner reaches the doctor portal's pages.

The sign-in itself is the portals' shared one (kiosk.portal.signin), re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, g, redirect, request, session, url_for

from kiosk.core.db import get_db
from kiosk.core.records import Account
from kiosk.portal.signin import (
    ACCOUNT_KEY,
    actor_of,
    authenticate,
    end,
    idle_limit,
    is_idle,
    start,
    touch,
)

__all__ = ["ACCOUNT_KEY", "actor_of", "authenticate", "doctor_required", "end", "idle_limit",
           "is_idle", "start", "touch"]

F = TypeVar("F", bound=Callable[..., Any])


def doctor_required(view: F) -> F:
    """Only a signed-in doctor linked to a practitioner reaches the view; others get 403.

    Not signed in at all: the sign-in form. The account is loaded fresh on each request, so a
    role changed or an account deleted takes effect at once. Sets ``g.doctor``.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        account_id = session.get(ACCOUNT_KEY)
        if not isinstance(account_id, int):
            if request.headers.get("HX-Request") == "true":
                # A polled part of the page: send the whole page to the sign-in, not into a box.
                return Response(status=204, headers={"HX-Redirect": url_for("doctor.login")})
            return redirect(url_for("doctor.login"), 303)
        with get_db().read() as db:
            account = db.get(Account, account_id)
        if account is None or account.role != "doctor" or account.practitioner_id is None:
            abort(403)
        g.doctor = account
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]

