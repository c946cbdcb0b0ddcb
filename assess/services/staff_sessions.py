"""Staff sign-in sessions kept on the server, so that one can be ended for good.

The signed cookie carries a random session key; the database keeps only its SHA-256 and
whether the session is still live. Signing out ends that one session (a copy of the cookie
stops working too); a password change, a reset or a deactivation ends all of an account's
sessions. Sessions also end by themselves ``lifetime`` seconds after sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import StaffSession, User, utcnow

KEY_BYTES = 32


def key_hash(key: str) -> str:
    """The stored form of a session key."""
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: DbSession, user: User, lifetime_seconds: int) -> str:
    """Open a session for ``user``; returns the key for the cookie (the caller commits).

    The account's ended and expired sessions are deleted on the way, so the table holds
    about one row per live session.
    """
    now = utcnow()
    session.execute(
        sa.delete(StaffSession).where(
            StaffSession.user_id == user.id,
            sa.or_(StaffSession.ended_at.is_not(None), StaffSession.expires_at <= now),
        )
    )
    key = secrets.token_urlsafe(KEY_BYTES)
    session.add(
        StaffSession(
            user_id=user.id,
            key_hash=key_hash(key),
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime_seconds),
        )
    )
    session.flush()
    return key


def live_user(
    session: DbSession, user_id: int, key: str, now: datetime | None = None
) -> User | None:
    """The user whose live session ``key`` is, if it belongs to ``user_id``."""
    now = now or utcnow()
    return session.scalar(
        sa.select(User)
        .join(StaffSession, StaffSession.user_id == User.id)
        .where(
            User.id == user_id,
            StaffSession.key_hash == key_hash(key),
            StaffSession.ended_at.is_(None),
            StaffSession.expires_at > now,
        )
    )


def end(session: DbSession, key: str) -> None:
    """End the session of ``key`` (signing out); unknown keys are ignored."""
    session.execute(
        sa.update(StaffSession)
        .where(StaffSession.key_hash == key_hash(key), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all(session: DbSession, user: User) -> int:
    """End every session of ``user``; returns how many were live.

    The account's session version moves on as well, so even a session cookie from before
    server-side sessions existed stops working.
    """
    result = session.execute(
        sa.update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    user.session_version += 1
    return int(getattr(result, "rowcount", 0) or 0)
