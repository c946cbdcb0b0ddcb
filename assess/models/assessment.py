"""What is assessed and by whom: blueprints, positions, invitations, attempts, answers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.extensions import Model
from assess.models._common import GradeCode, UTCDateTime, enum_column, utcnow


class AssessmentBlueprint(Model):
    """What a Junior, Middle or Senior assessment contains. The bank's default of a grade has
    no organisation; an organisation that edits a grade gets its own copy, which only its own
    invitations use (and no other organisation can see)."""

    __tablename__ = "assessment_blueprint"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"))
    time_limit_minutes: Mapped[int] = mapped_column()
    questions_per_competency: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    # The kinds coding tasks are drawn from, and how many are drawn (None: one per entry).
    task_kinds: Mapped[list[str]] = mapped_column(sa.JSON)
    task_count: Mapped[int | None] = mapped_column()
    # A break between the quiz section and the coding section, the clock stopped during it
    # (at most this many minutes); 0: no sections, as by default.
    break_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    # Adaptive: each next quiz question is chosen for the candidate (assess/services/adaptive.py);
    # ``questions_per_competency`` is then each competency's maximum, and a competency stops
    # early once its standard error is at most ``se_target``. Coding tasks stay as drawn.
    adaptive: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    se_target: Mapped[float] = mapped_column(sa.Float, default=0.4, server_default="0.4")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    __table_args__ = (
        sa.CheckConstraint("time_limit_minutes > 0", name="time_limit_positive"),
        sa.CheckConstraint("task_count IS NULL OR task_count >= 0", name="task_count_not_negative"),
        sa.CheckConstraint("break_minutes >= 0", name="break_minutes_not_negative"),
        sa.CheckConstraint("se_target > 0 AND se_target <= 1", name="se_target_in_range"),
        sa.UniqueConstraint("organization_id", "grade"),
        sa.Index(
            "uq_assessment_blueprint_default_grade",
            "grade",
            unique=True,
            sqlite_where=sa.text("organization_id IS NULL"),
            postgresql_where=sa.text("organization_id IS NULL"),
        ),
    )

    @property
    def tasks_drawn(self) -> int:
        """How many coding tasks an attempt gets."""
        return len(self.task_kinds) if self.task_count is None else self.task_count


class Position(Model):
    """An opening a recruiter hires for, at one target grade."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"))
    show_result_summary: Mapped[bool] = mapped_column(default=False)
    # Remind candidates who have not opened their link this many days after the invitation
    # (once); None: never.
    reminder_after_days: Mapped[int | None] = mapped_column()
    is_open: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="position", cascade="all, delete-orphan", passive_deletes=True
    )


class Invitation(Model):
    """A candidate's single-use link. Only the token's hash is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("position.id", ondelete="CASCADE"), index=True
    )
    candidate_name: Mapped[str] = mapped_column(sa.String(200))
    candidate_email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Extra time granted before the attempt starts (an accommodation): a share of the
    # blueprint's time limit and whole minutes, both applied when the attempt starts.
    extra_time_percent: Mapped[int] = mapped_column(default=0, server_default="0")
    extra_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the candidate asked, from their link, to be forgotten (a recruiter confirms).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the candidate asked for from the invitation's page (an accommodation); the
    # recruiter decides, nothing is granted automatically.
    accommodation_request: Mapped[str | None] = mapped_column(sa.Text)
    accommodation_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # first visit of the link
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    practised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the practice round

    position: Mapped[Position] = relationship(back_populates="invitations")
    attempt: Mapped[Attempt | None] = relationship(back_populates="invitation")


class AttemptState(enum.StrEnum):
    """Where an attempt is in its life."""

    STARTED = "started"
    FINISHED = "finished"
    EXPIRED = "expired"


class Attempt(Model):
    """One sitting of an assessment. The unique invitation makes it single-use."""

    __tablename__ = "attempt"
    __table_args__ = (sa.CheckConstraint("deadline_at > started_at", name="deadline_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitation.id", ondelete="CASCADE"), unique=True
    )
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"))
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    state: Mapped[AttemptState] = mapped_column(
        enum_column(AttemptState, "attempt_state"), default=AttemptState.STARTED, index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Minutes beyond the blueprint's time limit (accommodations at the start and extensions
    # since): the scorecard says an accommodation applied, never which.
    extra_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    feedback_given: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The blueprint's break at the start (0: one section); when the break began and ended
    # (the deadline moved by the time between them): assess/services/sections.py.
    break_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    break_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    break_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_hash: Mapped[str] = mapped_column(sa.String(64))
    # An adaptive attempt's settings as they were when it started (the plan, the stopping
    # rule, exposure control, the question positions reserved); None: a fixed attempt.
    adaptive: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    scorecard: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invitation: Mapped[Invitation] = relationship(back_populates="attempt")
    items: Mapped[list[AttemptItem]] = relationship(
        order_by="AttemptItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class AttemptItem(Model):
    """One drawn item of an attempt, in the order the candidate sees it."""

    __tablename__ = "attempt_item"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "position"),
        sa.UniqueConstraint("attempt_id", "question_id"),
        sa.UniqueConstraint("attempt_id", "task_id"),
        sa.CheckConstraint("(question_id IS NULL) <> (task_id IS NULL)", name="exactly_one_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question.id", ondelete="RESTRICT")
    )
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coding_task.id", ondelete="RESTRICT")
    )
    # None is SQL NULL (not JSON null) whether given or not: a start's items, questions and
    # tasks alike, then go in one INSERT
    option_order: Mapped[list[int] | None] = mapped_column(sa.JSON(none_as_null=True))
    seconds_spent: Mapped[int] = mapped_column(default=0)
    # Why an adaptive attempt's question came (the ability estimate, information, rank,
    # exposure control); None for drawn-at-start items. ``final_at``: when the next question
    # was drawn, after which this answer can no longer change.
    draw: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Answer(Model):
    """A candidate's latest answer to one question of one attempt."""

    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="RESTRICT"))
    response: Mapped[Any] = mapped_column(sa.JSON)
    score: Mapped[float | None] = mapped_column(sa.Float)
    revision: Mapped[int] = mapped_column(default=1)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CandidateFeedback(Model):
    """A finished candidate's answer to the two-question survey, kept apart from their
    attempt (no link to it, and only the day it came) so that nobody can tell whose it is;
    the attempt records only that it was given."""

    __tablename__ = "candidate_feedback"
    __table_args__ = (
        sa.CheckConstraint("fairness IS NULL OR (fairness BETWEEN 1 AND 5)", name="fairness_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("position.id", ondelete="CASCADE"), index=True
    )
    fairness: Mapped[int | None] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)
    day: Mapped[date] = mapped_column(sa.Date)


class IntegrityEvent(Model):
    """A signal for reviewers (focus lost, a paste), never a verdict by itself."""

    __tablename__ = "integrity_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(32))
    item_position: Mapped[int | None] = mapped_column()
    size: Mapped[int | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodeDraft(Model):
    """The latest autosaved code of one coding task in one attempt."""

    __tablename__ = "code_draft"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("coding_task.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(sa.Text)
    revision: Mapped[int] = mapped_column(default=1)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CodeChange(Model):
    """A batch of the candidate's editor changes to one coding task, for playback.

    The editor numbers its changes from 0 per *stream* (one page load); a batch holds the
    changes ``seq .. seq + op_count - 1``, each ``[ms since the previous change, from, to,
    inserted text]`` in UTF-16 positions, applied one after another; the first batch of a
    stream holds the text the stream started from. A batch sent again with more changes
    replaces the shorter one, so retries never duplicate. A ``capped`` row marks that the
    recording reached its size limit and later changes were not kept.
    """

    __tablename__ = "code_change"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "task_id", "stream", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("coding_task.id", ondelete="RESTRICT"))
    stream: Mapped[str] = mapped_column(sa.String(16))
    seq: Mapped[int] = mapped_column()
    op_count: Mapped[int] = mapped_column(default=0)
    ops: Mapped[list[Any]] = mapped_column(sa.JSON)
    base: Mapped[str | None] = mapped_column(sa.Text)
    size: Mapped[int] = mapped_column(default=0)
    capped: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
