"""What recruiters see of a position: each candidate's stage, and a scorecard to read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import (
    Attempt,
    AttemptState,
    Invitation,
    Position,
    utcnow,
)

STAGES = ("invited", "started", "finished", "scored", "expired_link", "withdrawn")


@dataclass(frozen=True)
class CandidateRow:
    """One invitation of a position and how far the candidate has come."""

    invitation: Invitation
    attempt: Attempt | None
    stage: str
    recommended_grade: str | None


def stage_of(invitation: Invitation, attempt: Attempt | None) -> str:
    """The pipeline stage of an invitation."""
    if invitation.revoked_at is not None:
        return "withdrawn"
    if attempt is None:
        return "expired_link" if invitation.expires_at <= utcnow() else "invited"
    if attempt.state is AttemptState.STARTED:
        return "started"
    return "scored" if attempt.scorecard is not None else "finished"


def candidates(session: DbSession, position: Position) -> list[CandidateRow]:
    """Every invitation of ``position`` with its attempt, newest first (two queries)."""
    invitations = session.scalars(
        sa.select(Invitation)
        .where(Invitation.position_id == position.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    attempts = {
        a.invitation_id: a
        for a in session.scalars(
            sa.select(Attempt).where(Attempt.invitation_id.in_([i.id for i in invitations]))
        )
    }
    rows = []
    for invitation in invitations:
        attempt = attempts.get(invitation.id)
        grade = (attempt.scorecard or {}).get("recommended_grade") if attempt else None
        rows.append(CandidateRow(invitation, attempt, stage_of(invitation, attempt), grade))
    return rows


def counts_by_position(session: DbSession, position_ids: Sequence[int]) -> dict[int, Counter[str]]:
    """Candidates per stage for each position (one query for all positions)."""
    result: dict[int, Counter[str]] = {pid: Counter() for pid in position_ids}
    if not position_ids:
        return result
    rows = session.execute(
        sa.select(Invitation, Attempt)
        .outerjoin(Attempt, Attempt.invitation_id == Invitation.id)
        .where(Invitation.position_id.in_(position_ids))
    ).all()
    for invitation, attempt in rows:
        result[invitation.position_id][stage_of(invitation, attempt)] += 1
    return result
