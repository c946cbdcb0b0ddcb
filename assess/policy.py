"""Who may do what: the one decorator every staff view uses, and object-level checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy.orm import joinedload

from assess.extensions import db, login_manager
from assess.models import Attempt, Invitation, Role
from assess.services.attempts import SaveAttempt, SaveTarget, read_save

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
    held = _held()
    if held is None:
        return None
    # the invitation in the same statement (every candidate request checks its revocation),
    # and its position (every attempt page shows its title)
    invitation = joinedload(Attempt.invitation, innerjoin=True)
    attempt = db.session.get(
        Attempt, held[0], options=[invitation.joinedload(Invitation.position, innerjoin=True)]
    )
    if attempt is None or attempt.session_hash != held[1]:
        return None
    if attempt.invitation.revoked_at is not None:
        return None
    return attempt


def _held() -> tuple[int, Any] | None:
    """The attempt id and key this browser's signed session holds, if any."""
    held = session.get(CANDIDATE_SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("attempt"), int):
        return None
    return held["attempt"], held.get("key")


def candidate_item(position: int) -> tuple[SaveAttempt, SaveTarget] | None:
    """The attempt this browser holds, if still valid, and its item at ``position`` with
    the item's question or task kind: all a save reads, in one statement."""
    held = _held()
    if held is None:
        return None
    found = read_save(db.session.connection(), held[0], position)
    if found is None or found.session_hash != held[1] or found.revoked:
        return None
    return found.attempt, found.target


def _save_guard(single_write: bool) -> Callable[[F], F]:
    """``candidate_required`` for a view that saves the item at its ``position``: the
    attempt and the item are read together (``g.attempt``, a ``SaveAttempt`` with the
    columns a save needs, and ``g.save_target``); with
    ``single_write``, each statement commits by itself (see ``candidate_answer_required``)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if single_write and not db.session().in_transaction():
                db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            found = candidate_item(kwargs["position"])
            if found is None:
                abort(403)
            g.attempt, g.save_target = found
            return view(*args, **kwargs)

        guarded.allowed_roles = frozenset({CANDIDATE})  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


candidate_save_required = _save_guard(single_write=False)
"""For a save that writes several rows together (a draft and its recorded changes)."""

candidate_answer_required = _save_guard(single_write=True)
"""For a save that writes one row with one statement (a quiz answer): the reads and that
statement run without ``BEGIN``/``COMMIT`` round trips (autocommit), which changes nothing
else at READ COMMITTED, where every statement sees its own snapshot anyway. A view using it
must keep to one write, or it would not be atomic."""


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
