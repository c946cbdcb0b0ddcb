"""Structured interviews: who interviews whom, and the scores they gave."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.extensions import Model
from assess.models._common import UTCDateTime, enum_column, utcnow


class Recommendation(enum.StrEnum):
    """An interviewer's overall call."""

    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class InterviewAssignment(Model):
    """An interviewer asked to review one attempt."""

    __tablename__ = "interview_assignment"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "interviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InterviewScorecard(Model):
    """One interviewer's structured interview of one attempt's candidate."""

    __tablename__ = "interview_scorecard"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "interviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    recommendation: Mapped[Recommendation | None] = mapped_column(
        enum_column(Recommendation, "recommendation")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    rubric_scores: Mapped[list[RubricScore]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class RubricScore(Model):
    """A score from 1 to 4 for one competency, with the interviewer's notes."""

    __tablename__ = "rubric_score"
    __table_args__ = (
        sa.UniqueConstraint("scorecard_id", "competency_code"),
        sa.CheckConstraint("score BETWEEN 1 AND 4", name="score_1_to_4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interview_scorecard.id", ondelete="CASCADE")
    )
    competency_code: Mapped[str] = mapped_column(
        sa.ForeignKey("competency.code", ondelete="RESTRICT")
    )
    score: Mapped[int] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
