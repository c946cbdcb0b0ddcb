"""Who may do what: the one decorator every staff view uses, and object-level checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from flask_login import current_user

from assess.extensions import db, login_manager
from assess.models import Attempt, Role

CANDIDATE = "candidate"
CANDIDATE_SESSION_KEY = "candidate"

F = TypeVar("F", bound=Callable[..., Any])

STAFF = (Role.ADMIN, Role.RECRUITER, Role.INTERVIEWER)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Let only signed-in staff holding one of ``roles`` reach the view.

    Anonymous visitors are sent to sign in; signed-in staff without the role get 403.
    """
    allowed = frozenset(roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = allowed  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view as open to everyone (the role matrix test reads this mark)."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view


staff_required = roles_required(*STAFF)
admin_required = roles_required(Role.ADMIN)


def candidate_attempt() -> Attempt | None:
    """The attempt this browser holds (set when the invitation was opened), if still valid."""
    held = session.get(CANDIDATE_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("attempt"), int):
        return None
    attempt = db.session.get(Attempt, held["attempt"])
    if attempt is None or attempt.session_hash != held.get("key"):
        return None
    if attempt.invitation.revoked_at is not None:
        return None
    return attempt


def candidate_required(view: F) -> F:
    """Let only a browser holding an attempt (from its invitation link) reach the view.

    The attempt is put on ``g.attempt``; anyone else gets 403, so one candidate can never
    reach another's attempt: the attempt comes from the signed session, never from the URL.
    """

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        attempt = candidate_attempt()
        if attempt is None:
            abort(403)
        g.attempt = attempt
        return view(*args, **kwargs)

    guarded.allowed_roles = frozenset({CANDIDATE})  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]
