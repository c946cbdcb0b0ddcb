"""Staff accounts and the organisations they belong to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.extensions import Model
from assess.models._common import Role, UTCDateTime, enum_column, utcnow


class Organization(Model):
    """A hiring company; recruiters see only their organisation's positions."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Shown to candidates on the invitation's page; the platform's own notice when unset.
    privacy_notice: Mapped[str | None] = mapped_column(sa.Text)

    users: Mapped[list[User]] = relationship(back_populates="organization")


class User(UserMixin, Model):
    """A staff member: admin, recruiter or interviewer. Candidates are not users."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    is_active_account: Mapped[bool] = mapped_column(default=True)
    is_operator: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Flask-Login refuses sessions of deactivated accounts."""
        return self.is_active_account

    def get_id(self) -> str:
        """Identify the session by id and version, so a password change ends old sessions."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        """Whether this user holds one of ``roles``."""
        return self.role in roles

    def __repr__(self) -> str:
        """Show the id and role, never the hash."""
        return f"<User {self.id} {self.role.value}>"


class StaffSession(Model):
    """One signed-in browser of a staff member; the cookie holds the key, this row its hash.

    A session is live while ``ended_at`` is empty and ``expires_at`` is ahead; signing out,
    a password change or a deactivation sets ``ended_at``.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
