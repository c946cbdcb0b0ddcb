"""Who may do what: the one decorator every staff view uses, and object-level checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from assess.extensions import login_manager
from assess.models import Role

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
