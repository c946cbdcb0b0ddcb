"""What the organisation learns about its questions from its own candidates: each item's
fitted 2PL parameters (``flask bank calibrate``), and the questions its admin retired from
draws with a reason (past attempts keep them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from assess.extensions import Model
from assess.models._common import UTCDateTime, utcnow


class ItemCalibration(Model):
    """One question's item parameters in one organisation: discrimination ``a`` and
    difficulty ``b`` on the ability scale of its competency, with their standard errors and
    the responses they came from. ``calibrated`` is False while the item keeps the prior of
    its grade (too few responses yet)."""

    __tablename__ = "item_calibration"
    __table_args__ = (sa.UniqueConstraint("organization_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(sa.String(40))
    competency_code: Mapped[str] = mapped_column(sa.String(16))
    a: Mapped[float] = mapped_column(sa.Float)
    b: Mapped[float] = mapped_column(sa.Float)
    se_a: Mapped[float | None] = mapped_column(sa.Float)
    se_b: Mapped[float | None] = mapped_column(sa.Float)
    responses: Mapped[int] = mapped_column(default=0)
    calibrated: Mapped[bool] = mapped_column(default=False)
    converged: Mapped[bool] = mapped_column(default=False)
    # A digest of the responses the fit used (attempt ids and scores), and when it ran.
    data_digest: Mapped[str] = mapped_column(sa.String(64))
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RetiredQuestion(Model):
    """A question the organisation's admin took out of future draws, and why."""

    __tablename__ = "retired_question"
    __table_args__ = (sa.UniqueConstraint("organization_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.String(500))
    retired_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
