"""Extra time for a candidate: granted on an invitation before the attempt starts (a share
of the time limit and minutes), or added to an attempt in progress (the deadline moves and
the candidate's countdown follows). Every change is audited with who made it and why; the
scorecard says only that an accommodation applied.

The total extra time of an attempt may not exceed ``MAX_EXTRA_PERCENT`` of its blueprint's
time limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from assess.errors import AttemptClosed, Conflict, NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import Attempt, Invitation, User, utcnow
from assess.services import attempts, audit, blueprints
from assess.textrules import checked_multi_line

MAX_EXTRA_PERCENT = attempts.MAX_EXTRA_PERCENT  # of the time limit, in total
MAX_MINUTES = 600  # one grant or extension
MAX_REASON = 500
MAX_REQUEST = 1000


def _whole(value: int, name: str, high: int) -> int:
    """``value`` if it is a whole number in 0..high, else a 422 naming the field."""
    if type(value) is not int or not 0 <= value <= high:
        message = f"must be a whole number from 0 to {high}"
        raise ValidationFailed(f"{name} {message}", {name: message})
    return value


def _limit_minutes(session: DbSession, invitation: Invitation) -> int:
    """The time limit of the blueprint the invitation's attempt uses (or used)."""
    position = invitation.position
    blueprint = blueprints.effective(session, position.organization_id, position.grade)
    if blueprint is None:
        raise NotFound(f"no assessment is defined for the {position.grade.value} grade yet")
    return int(blueprint.time_limit_minutes)


def _check_ceiling(limit_minutes: int, extra: int) -> None:
    """Refuse a total beyond the ceiling, saying what the ceiling is in minutes."""
    ceiling = limit_minutes * MAX_EXTRA_PERCENT // 100
    if extra > ceiling:
        raise ValidationFailed(
            f"at most {MAX_EXTRA_PERCENT}% of the {limit_minutes}-minute limit "
            f"({ceiling} minutes) may be added in total; this would add {extra}",
            {"minutes": f"at most {ceiling} minutes in total"},
        )


def grant(
    session: DbSession,
    invitation: Invitation,
    percent: int,
    minutes: int,
    reason: str,
    actor: User,
    ip: str | None = None,
) -> int:
    """Set the extra time an invitation's attempt will start with (replacing an earlier
    grant; 0 and 0 withdraws it); returns the extra minutes it comes to. Refused once the
    attempt has started, or when the invitation is withdrawn or expired."""
    percent = _whole(percent, "percent", MAX_EXTRA_PERCENT)
    minutes = _whole(minutes, "minutes", MAX_MINUTES)
    why = checked_multi_line(reason, "reason", MAX_REASON)
    if invitation.attempt is not None:
        raise Conflict("the attempt has started: extend it instead")
    if invitation.revoked_at is not None or invitation.expires_at <= utcnow():
        raise Conflict("the invitation is withdrawn or expired")
    limit = _limit_minutes(session, invitation)
    extra = attempts.extra_minutes(limit, percent, minutes)
    _check_ceiling(limit, extra)
    invitation.extra_time_percent, invitation.extra_minutes = percent, minutes
    audit.record(
        session,
        "invitation.extra_time",
        actor_id=actor.id,
        object_type="invitation",
        object_id=invitation.id,
        ip=ip,
        percent=percent,
        minutes=minutes,
        extra_minutes=extra,
        reason=why,
    )
    return extra


def extend(
    session: DbSession,
    attempt: Attempt,
    minutes: int,
    reason: str,
    actor: User,
    ip: str | None = None,
    now: datetime | None = None,
) -> datetime:
    """Move an attempt's deadline ``minutes`` later; returns the new deadline. Only an
    attempt still open (before its deadline) can be extended."""
    minutes = _whole(minutes, "minutes", MAX_MINUTES)
    if minutes == 0:
        raise ValidationFailed("minutes must be at least 1", {"minutes": "at least 1"})
    why = checked_multi_line(reason, "reason", MAX_REASON)
    now = now or utcnow()
    if not attempts.is_open(attempt, now):
        raise AttemptClosed("this attempt is finished; its time cannot be extended")
    before, deadline = attempt.extra_minutes, attempt.deadline_at
    limit = int((deadline - attempt.started_at).total_seconds() // 60) - before
    _check_ceiling(limit, before + minutes)
    # Written only if nobody extended the attempt since it was read: two extensions at once
    # cannot both add to the same old deadline, nor pass the ceiling between them.
    moved = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.extra_minutes == before)
        .values(extra_minutes=before + minutes, deadline_at=deadline + timedelta(minutes=minutes))
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0) != 1:
        raise Conflict("the attempt's time was changed meanwhile; reload and try again")
    session.refresh(attempt, ["extra_minutes", "deadline_at"])
    audit.record(
        session,
        "attempt.extended",
        actor_id=actor.id,
        object_type="attempt",
        object_id=attempt.id,
        ip=ip,
        minutes=minutes,
        extra_minutes=attempt.extra_minutes,
        reason=why,
    )
    return attempt.deadline_at


def request(session: DbSession, invitation: Invitation, text: str, ip: str | None = None) -> None:
    """The candidate's request for an accommodation, from the invitation's page (before the
    attempt starts; a later request replaces it). It reaches the recruiter; nothing is
    granted automatically."""
    body = checked_multi_line(text, "request", MAX_REQUEST)
    if invitation.attempt is not None:
        raise Conflict("the assessment has started; reply to the invitation email instead")
    if invitation.revoked_at is not None or invitation.expires_at <= utcnow():
        raise Conflict("the invitation is withdrawn or expired")
    invitation.accommodation_request = body
    invitation.accommodation_requested_at = utcnow()
    audit.record(
        session,
        "candidate.accommodation_requested",
        object_type="invitation",
        object_id=invitation.id,
        ip=ip,
    )
