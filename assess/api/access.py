"""Which objects a caller may see: recruiters and admins their organisation's, interviewers only
the attempts they are assigned to. Anything else is reported as not found. An interviewer
sees colleagues' interview scores only once their own recommendation is recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from assess.errors import NotFound
from assess.extensions import DbSession
from assess.models import (
    Attempt,
    AttemptState,
    InterviewAssignment,
    Invitation,
    Position,
    Role,
    User,
)
from assess.review.interviews import sees_others
from assess.scoring import build_scorecard
from assess.services import scorecards


def positions_query(user: User) -> sa.Select[Any]:
    """The positions of the caller's organisation (interviewers see none)."""
    query = sa.select(Position).where(Position.organization_id == user.organization_id)
    if user.role is Role.INTERVIEWER:
        query = query.where(sa.false())
    return query


def attempts_query(user: User) -> sa.Select[Any]:
    """The attempts the caller may read."""
    query = (
        sa.select(Attempt)
        .join(Invitation, Attempt.invitation_id == Invitation.id)
        .join(Position, Invitation.position_id == Position.id)
        .where(Position.organization_id == user.organization_id)
    )
    if user.role is Role.INTERVIEWER:
        assigned = sa.select(InterviewAssignment.attempt_id).where(
            InterviewAssignment.interviewer_id == user.id
        )
        query = query.where(Attempt.id.in_(assigned))
    return query


def position_for(session: DbSession, user: User, position_id: int) -> Position:
    """A position the caller may see, or NotFound."""
    position = session.get(Position, position_id)
    if (
        position is None
        or position.organization_id != user.organization_id
        or user.role is Role.INTERVIEWER
    ):
        raise NotFound("no such position")
    return position


def invitation_for(session: DbSession, user: User, invitation_id: int) -> Invitation:
    """An invitation the caller may see, or NotFound."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("no such invitation")
    position_for(session, user, invitation.position_id)
    return invitation


def attempt_for(session: DbSession, user: User, attempt_id: int) -> Attempt:
    """An attempt the caller may see, or NotFound."""
    found = session.scalar(attempts_query(user).where(Attempt.id == attempt_id))
    if found is None:
        raise NotFound("no such attempt")
    attempt: Attempt = found
    return attempt


def visible_card(session: DbSession, user: User, attempt: Attempt) -> Mapping[str, Any] | None:
    """The scorecard as the caller may read it (null until scored). For an interviewer who
    has not yet recorded their own recommendation it is the automated evidence alone, so
    colleagues' interview scores (and the grade they moved) stay hidden, as on the
    scorecard page."""
    card = attempt.scorecard
    if card is None or attempt.state is AttemptState.STARTED or sees_others(session, attempt, user):
        return card
    competencies, grades = scorecards.catalogue(session)
    evidence = scorecards.attempt_evidence(session, attempt)
    return build_scorecard(evidence, competencies, grades).to_json()
