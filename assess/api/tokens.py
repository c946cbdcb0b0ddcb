"""Personal API tokens: issued once, stored hashed, acting with their owner's current rights."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from assess.errors import ValidationFailed
from assess.extensions import DbSession
from assess.models import ApiToken, User, utcnow

TOKEN_PREFIX = "ast_"  # noqa: S105 - a public marker, not a secret
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
PREFIX_SHOWN = 12
TOKENS_PER_USER = 20
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The stored form of a token; tokens are random, so a plain SHA-256 suffices."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: DbSession, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token (shown once, never stored)."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationFailed("name: 1 to 100 characters", {"name": "1 to 100 characters"})
    live = session.scalar(
        sa.select(sa.func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if (live or 0) >= TOKENS_PER_USER:
        raise ValidationFailed(
            f"at most {TOKENS_PER_USER} active tokens; revoke one first",
            {"name": f"at most {TOKENS_PER_USER} active tokens"},
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(
        user_id=user.id, name=name, token_hash=hash_token(token), prefix=token[:PREFIX_SHOWN]
    )
    session.add(row)
    session.flush()
    return row, token


def authenticate(session: DbSession, token: str, now: datetime | None = None) -> User | None:
    """The active owner of a live ``token``, or None. Marks the token used (at most once a
    minute, so reads do not turn into a write per request)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    moment = now or utcnow()
    if row.last_used_at is None or moment - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = moment
        session.commit()
    return row.user


def tokens_of(session: DbSession, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones too, for the record)."""
    return list(
        session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke(session: DbSession, user: User, token_id: int, now: datetime | None = None) -> bool:
    """Revoke one of the user's own tokens; False when it is not theirs or already revoked."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = now or utcnow()
    return True
