"""The challenge bank in the database: versioned by content hash, never edited in place.

An edited item becomes a new row with the next version; attempts keep pointing at the
version they saw, so a score can always be traced to exactly what the candidate answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assess.extensions import Model
from assess.models._common import GradeCode, UTCDateTime, WeightClass, enum_column, utcnow


class Competency(Model):
    """One line of the job's qualification list, keyed by its stable code (PY, SQL...)."""

    __tablename__ = "competency"

    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    weight_class: Mapped[WeightClass] = mapped_column(enum_column(WeightClass, "weight_class"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class Grade(Model):
    """Junior, Middle or Senior, with the bar a required competency must reach."""

    __tablename__ = "grade"

    code: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"), primary_key=True)
    rank: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    experience: Mapped[str] = mapped_column(sa.String(64), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    threshold: Mapped[float] = mapped_column(sa.Float)
    min_evidence: Mapped[int] = mapped_column(default=2)


class _Versioned:
    """Columns shared by every versioned bank item."""

    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Question(_Versioned, Model):
    """A quiz question. ``answer`` and ``explanation`` never reach a candidate's page."""

    __tablename__ = "question"
    __table_args__ = (
        sa.UniqueConstraint("key", "version"),
        sa.UniqueConstraint("key", "content_hash"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), index=True)
    competency_code: Mapped[str] = mapped_column(
        sa.ForeignKey("competency.code", ondelete="RESTRICT"), index=True
    )
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"), index=True)
    type: Mapped[str] = mapped_column(sa.String(16))
    weights: Mapped[dict[str, float]] = mapped_column(sa.JSON)
    body: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    answer: Mapped[Any] = mapped_column(sa.JSON)
    explanation: Mapped[str] = mapped_column(sa.Text)
    # The Russian text (prompt, explanation, options, items in the body's order): shown to
    # candidates and staff who chose Russian. JSON beside ``body``, which it mirrors.
    ru: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class CodingTask(_Versioned, Model):
    """A coding task; ``spec`` is everything the sandbox needs, ``golden`` what it expects."""

    __tablename__ = "coding_task"
    __table_args__ = (
        sa.UniqueConstraint("slug", "version"),
        sa.UniqueConstraint("slug", "content_hash"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    weights: Mapped[dict[str, float]] = mapped_column(sa.JSON)
    statement_md: Mapped[str] = mapped_column(sa.Text)
    # The statement and title in Russian (statement.ru.md), shown by the candidate's language.
    statement_ru_md: Mapped[str | None] = mapped_column(sa.Text)
    title_ru: Mapped[str | None] = mapped_column(sa.String(200))
    starter_code: Mapped[str] = mapped_column(sa.Text)
    visible_tests: Mapped[str] = mapped_column(sa.Text)
    time_minutes: Mapped[int] = mapped_column(default=20)
    spec: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    golden: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    golden_image: Mapped[str | None] = mapped_column(sa.String(128))


class InterviewQuestion(_Versioned, Model):
    """A structured-interview question with rubric anchors for scores 1 to 4."""

    __tablename__ = "interview_question"
    __table_args__ = (
        sa.UniqueConstraint("key", "version"),
        sa.UniqueConstraint("key", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), index=True)
    competency_code: Mapped[str] = mapped_column(
        sa.ForeignKey("competency.code", ondelete="RESTRICT"), index=True
    )
    grade: Mapped[GradeCode] = mapped_column(enum_column(GradeCode, "grade_code"), index=True)
    question: Mapped[str] = mapped_column(sa.Text)
    follow_ups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    anchors: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    ru: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # question, follow_ups, anchors
