"""Submissions and the grading runs that judged them. The row is the truth; queues carry ids."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.extensions import Model
from assess.models._common import UTCDateTime, enum_column, utcnow


class SubmissionKind(enum.StrEnum):
    """A sample run (visible tests, informative) or a final submission (hidden probes)."""

    SAMPLE = "sample"
    FINAL = "final"


class SubmissionState(enum.StrEnum):
    """Where a submission is in the grading pipeline."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Submission(Model):
    """Code a candidate sent for one task of one attempt."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.Index("ix_submission_state_priority", "state", "priority", "id"),
        sa.CheckConstraint("tries >= 0", name="tries_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("coding_task.id", ondelete="RESTRICT"))
    kind: Mapped[SubmissionKind] = mapped_column(enum_column(SubmissionKind, "submission_kind"))
    code: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[SubmissionState] = mapped_column(
        enum_column(SubmissionState, "submission_state"), default=SubmissionState.QUEUED
    )
    priority: Mapped[int] = mapped_column(default=0)
    tries: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verdict: Mapped[str | None] = mapped_column(sa.String(24))
    score: Mapped[float | None] = mapped_column(sa.Float)

    runs: Mapped[list[GradingRun]] = relationship(
        order_by="GradingRun.id", cascade="all, delete-orphan", passive_deletes=True
    )


class GradingRun(Model):
    """One execution of a submission in the sandbox, kept for the review history."""

    __tablename__ = "grading_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    task_version: Mapped[int] = mapped_column()
    image: Mapped[str] = mapped_column(sa.String(128), default="")
    verdict: Mapped[str] = mapped_column(sa.String(24))
    score: Mapped[float] = mapped_column(sa.Float)
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
