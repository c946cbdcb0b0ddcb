"""The submission queue in the database: the row is the truth, leases make claims safe.

A worker *claims* a queued submission by a conditional update (only one can win), keeps
its lease alive with heartbeats while grading, and *completes* it only while it still holds
the lease. A reaper hands expired leases back to the queue, up to a bounded number of tries,
so a worker that dies mid-run never loses a submission and never grades it twice into the
record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import Submission, SubmissionState, utcnow

DEFAULT_LEASE_SECONDS = 60
MAX_TRIES = 3


@dataclass(frozen=True)
class ReapReport:
    """What a reaper pass did."""

    requeued: tuple[int, ...]
    failed: tuple[int, ...]


def claim(
    session: DbSession,
    submission_id: int,
    owner: str,
    lease_seconds: int,
    now: datetime | None = None,
) -> bool:
    """Take the lease on a queued submission (or one whose lease expired). True if won."""
    now = now or utcnow()
    result = session.execute(
        sa.update(Submission)
        .where(
            Submission.id == submission_id,
            sa.or_(
                Submission.state == SubmissionState.QUEUED,
                sa.and_(
                    Submission.state == SubmissionState.RUNNING,
                    Submission.lease_expires_at < now,
                ),
            ),
            Submission.tries < MAX_TRIES,
        )
        .values(
            state=SubmissionState.RUNNING,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            tries=Submission.tries + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return _rowcount(result) == 1


def heartbeat(
    session: DbSession,
    submission_id: int,
    owner: str,
    lease_seconds: int,
    now: datetime | None = None,
) -> bool:
    """Extend our lease; False when it was lost (expired and taken by someone else)."""
    now = now or utcnow()
    result = session.execute(
        sa.update(Submission)
        .where(
            Submission.id == submission_id,
            Submission.lease_owner == owner,
            Submission.state == SubmissionState.RUNNING,
        )
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return _rowcount(result) == 1


def complete(
    session: DbSession,
    submission_id: int,
    owner: str,
    verdict: str,
    score: float,
    state: SubmissionState = SubmissionState.DONE,
    now: datetime | None = None,
) -> bool:
    """Record the outcome, only while holding the lease. True if recorded.

    The caller adds its grading run in the same transaction and commits only on True.
    """
    result = session.execute(
        sa.update(Submission)
        .where(
            Submission.id == submission_id,
            Submission.lease_owner == owner,
            Submission.state == SubmissionState.RUNNING,
        )
        .values(
            state=state,
            verdict=verdict,
            score=score,
            finished_at=now or utcnow(),
            lease_owner=None,
            lease_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def release(session: DbSession, submission_id: int, owner: str) -> None:
    """Hand a claimed submission back to the queue (on a graceful shutdown)."""
    session.execute(
        sa.update(Submission)
        .where(
            Submission.id == submission_id,
            Submission.lease_owner == owner,
            Submission.state == SubmissionState.RUNNING,
        )
        .values(
            state=SubmissionState.QUEUED,
            lease_owner=None,
            lease_expires_at=None,
            tries=sa.case((Submission.tries > 0, Submission.tries - 1), else_=0),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()


def reap(session: DbSession, now: datetime | None = None) -> ReapReport:
    """Requeue submissions whose lease expired; fail those out of tries."""
    now = now or utcnow()
    expired = session.execute(
        sa.select(Submission.id, Submission.tries).where(
            Submission.state == SubmissionState.RUNNING, Submission.lease_expires_at < now
        )
    ).all()
    requeued: list[int] = []
    failed: list[int] = []
    for submission_id, tries in expired:
        exhausted = tries >= MAX_TRIES
        result = session.execute(
            sa.update(Submission)
            .where(
                Submission.id == submission_id,
                Submission.state == SubmissionState.RUNNING,
                Submission.lease_expires_at < now,
            )
            .values(
                state=SubmissionState.FAILED if exhausted else SubmissionState.QUEUED,
                lease_owner=None,
                lease_expires_at=None,
                verdict="error" if exhausted else None,
                finished_at=now if exhausted else None,
            )
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) == 1:
            (failed if exhausted else requeued).append(submission_id)
    session.commit()
    return ReapReport(tuple(requeued), tuple(failed))


def queued_ids(session: DbSession, limit: int = 100) -> list[int]:
    """Queued submissions in the order they should run (priority first, then age)."""
    return list(
        session.scalars(
            sa.select(Submission.id)
            .where(Submission.state == SubmissionState.QUEUED)
            .order_by(Submission.priority.desc(), Submission.id)
            .limit(limit)
        )
    )


def position_in_queue(session: DbSession, submission: Submission) -> int | None:
    """How many submissions run before this one (0 = next); None when not queued."""
    if submission.state is not SubmissionState.QUEUED:
        return None
    ahead = session.scalar(
        sa.select(sa.func.count())
        .select_from(Submission)
        .where(
            Submission.state == SubmissionState.QUEUED,
            sa.or_(
                Submission.priority > submission.priority,
                sa.and_(Submission.priority == submission.priority, Submission.id < submission.id),
            ),
        )
    )
    return int(ahead or 0)


def _rowcount(result: object) -> int:
    """The number of rows an UPDATE touched."""
    return int(getattr(result, "rowcount", 0) or 0)
