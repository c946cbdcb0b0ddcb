"""Counting events per key in a sliding window, in the database so every process agrees."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import ThrottleEvent, utcnow


def count_recent(session: DbSession, key: str, window_seconds: int) -> int:
    """How many events ``key`` has had in the last ``window_seconds``."""
    since = utcnow() - timedelta(seconds=window_seconds)
    query = sa.select(sa.func.count()).where(ThrottleEvent.key == key, ThrottleEvent.at >= since)
    return int(session.scalar(query) or 0)


def record(session: DbSession, key: str) -> None:
    """Count one event for ``key``."""
    session.add(ThrottleEvent(key=key))


def clear(session: DbSession, key: str) -> None:
    """Forget the events of ``key`` (after a successful sign-in, say)."""
    session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.key == key))


def prune(session: DbSession, older_than_seconds: int) -> int:
    """Delete events older than the longest window; returns how many went."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    result = session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
