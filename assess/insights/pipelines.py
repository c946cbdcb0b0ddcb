"""How far each position's candidates have come: invited, started, finished, scored,
interviewed, decided. Counts are cumulative (a scored candidate has also started), so the
row reads as a funnel. Four queries for any number of positions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import (
    Attempt,
    AttemptState,
    InterviewAssignment,
    InterviewScorecard,
    Invitation,
    RubricScore,
)

FUNNEL = ("invited", "started", "finished", "scored", "interviewed", "decided")


def _per_attempt(session: DbSession, query: sa.Select[tuple[int, int]]) -> dict[int, int]:
    """Run an (attempt id, count) query into a dict."""
    return {attempt_id: int(count) for attempt_id, count in session.execute(query).tuples()}


def funnel(session: DbSession, position_ids: Sequence[int]) -> dict[int, Counter[str]]:
    """The funnel of each position. *Interviewed*: at least one interviewer recorded rubric
    scores. *Decided*: every assigned interviewer (at least one) gave a recommendation.
    Withdrawn invitations are counted apart, under ``withdrawn``."""
    result: dict[int, Counter[str]] = {pid: Counter() for pid in position_ids}
    if not position_ids:
        return result
    in_positions = (
        sa.select(Attempt.id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .where(Invitation.position_id.in_(position_ids))
    )
    assigned = _per_attempt(
        session,
        sa.select(InterviewAssignment.attempt_id, sa.func.count())
        .where(InterviewAssignment.attempt_id.in_(in_positions))
        .group_by(InterviewAssignment.attempt_id),
    )
    interviewed = _per_attempt(
        session,
        sa.select(InterviewScorecard.attempt_id, sa.func.count(sa.distinct(InterviewScorecard.id)))
        .join(RubricScore, RubricScore.scorecard_id == InterviewScorecard.id)
        .where(InterviewScorecard.attempt_id.in_(in_positions))
        .group_by(InterviewScorecard.attempt_id),
    )
    decided = _per_attempt(
        session,
        sa.select(InterviewScorecard.attempt_id, sa.func.count())
        .where(
            InterviewScorecard.attempt_id.in_(in_positions),
            InterviewScorecard.recommendation.is_not(None),
        )
        .group_by(InterviewScorecard.attempt_id),
    )
    rows = session.execute(
        sa.select(
            Invitation.position_id,
            Invitation.revoked_at,
            Attempt.id,
            Attempt.state,
            Attempt.scored_at,
        )
        .outerjoin(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Invitation.position_id.in_(position_ids))
    ).tuples()
    for position_id, revoked_at, attempt_id, state, scored_at in rows:
        counts = result[position_id]
        if revoked_at is not None and attempt_id is None:
            counts["withdrawn"] += 1
            continue
        counts["invited"] += 1
        if attempt_id is None:
            continue
        counts["started"] += 1
        if state is AttemptState.STARTED:
            continue
        counts["finished"] += 1
        if scored_at is not None:
            counts["scored"] += 1
        if interviewed.get(attempt_id):
            counts["interviewed"] += 1
        votes = decided.get(attempt_id, 0)
        if votes and votes >= assigned.get(attempt_id, 0):
            counts["decided"] += 1
    return result
