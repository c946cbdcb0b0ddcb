"""Counting events per key in a sliding window (sign-ins, invitation landings, sample runs).

By default the ledger is a database table, so every process and host agrees without Redis.
A scaled installation can count in Redis instead (``ASSESS_RATE_LIMIT_BACKEND=redis``):
``use(counter)`` is called by ``create_app`` and every function below then goes there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import ThrottleEvent, utcnow


class Counter(Protocol):
    """A place other than the database to count events in (Redis)."""

    def count_recent(self, key: str, window_seconds: int) -> int:
        """How many events ``key`` had in the last ``window_seconds``."""

    def record(self, key: str, window_seconds: int) -> None:
        """Count one event for ``key``."""

    def clear(self, key: str) -> None:
        """Forget the events of ``key``."""


_backend: dict[str, Counter | None] = {"counter": None}


def use(counter: Counter | None) -> None:
    """Count in ``counter`` from now on (None: the database ledger)."""
    _backend["counter"] = counter


def count_recent(session: DbSession, key: str, window_seconds: int) -> int:
    """How many events ``key`` has had in the last ``window_seconds``."""
    counter = _backend["counter"]
    if counter is not None:
        return counter.count_recent(key, window_seconds)
    return db_count_recent(session, key, window_seconds)


def record(session: DbSession, key: str, window_seconds: int = 3600) -> None:
    """Count one event for ``key`` (kept at least ``window_seconds``)."""
    counter = _backend["counter"]
    if counter is not None:
        counter.record(key, window_seconds)
    else:
        db_record(session, key)


def clear(session: DbSession, key: str) -> None:
    """Forget the events of ``key`` (after a successful sign-in, say)."""
    counter = _backend["counter"]
    if counter is not None:
        counter.clear(key)
    else:
        db_clear(session, key)


def db_count_recent(session: DbSession, key: str, window_seconds: int) -> int:
    """Events of ``key`` in the database ledger within the window."""
    since = utcnow() - timedelta(seconds=window_seconds)
    query = sa.select(sa.func.count()).where(ThrottleEvent.key == key, ThrottleEvent.at >= since)
    return int(session.scalar(query) or 0)


def db_record(session: DbSession, key: str) -> None:
    """Add an event to the database ledger (the caller commits)."""
    session.add(ThrottleEvent(key=key))


def db_clear(session: DbSession, key: str) -> None:
    """Delete the ledger rows of ``key``."""
    session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.key == key))


def prune(session: DbSession, older_than_seconds: int) -> int:
    """Delete events older than the longest window; returns how many went."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    result = session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
