"""Live interviews: a shared pad for one candidate, its update log, runs and private notes.

The document is its update log: every Yjs update a participant sends is appended to
``live_update`` before it is relayed, so the log, not any process's memory, is the truth.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.extensions import Model
from assess.models._common import UTCDateTime, enum_column, utcnow


class LiveState(enum.StrEnum):
    """Where a live interview is in its life."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class LiveInterview(Model):
    """One live coding interview with the candidate of one attempt."""

    __tablename__ = "live_interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coding_task.id", ondelete="RESTRICT")
    )
    state: Mapped[LiveState] = mapped_column(
        enum_column(LiveState, "live_state"), default=LiveState.SCHEDULED
    )
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    token_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    final_files: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    runs_started: Mapped[int] = mapped_column(default=0)

    attempt = relationship("Attempt")
    task = relationship("CodingTask")


class LiveUpdate(Model):
    """One Yjs update as a participant sent it (ordered by id). Yjs updates commute, so the
    order two processes commit in never changes the document; a snapshot row holds the
    whole state up to its id so a room loads from the latest snapshot onwards."""

    __tablename__ = "live_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_interview.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(sa.String(120))
    author_role: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    inserted: Mapped[int] = mapped_column(default=0)
    is_snapshot: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LiveRun(Model):
    """One run of the pad's files in the sandbox, started by someone in the room."""

    __tablename__ = "live_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_interview.id", ondelete="CASCADE"), index=True
    )
    started_by: Mapped[str] = mapped_column(sa.String(120))
    mode: Mapped[str] = mapped_column(sa.String(16))
    files: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(16), default="running")
    verdict: Mapped[str | None] = mapped_column(sa.String(32))
    output: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LiveNote(Model):
    """A staff member's timestamped private note; never sent to the candidate."""

    __tablename__ = "live_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_interview.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
