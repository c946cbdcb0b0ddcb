"""Throttles: counting events per key in a sliding window, and deciding atomically whether
one more is allowed (sign-ins, invitation landings, sample runs, invitation budgets).

``take`` is the one way to enforce a limit: it reads the key's recent history, applies a
rule and records the new events under a per-key lock, so parallel requests cannot all read
"under the limit" and all get through. The lock is PostgreSQL's transaction-scoped advisory
lock, or SQLite's write lock (taken before the read); both end when the caller's transaction
ends, so the caller commits soon after (as every view does).

By default the ledger is a database table, so every process and host agrees without Redis.
A scaled installation can count in Redis instead (``ASSESS_RATE_LIMIT_BACKEND=redis``):
``use(counter)`` is called by ``create_app`` and every function below then goes there.

Kept home-made: Flask-Limiter's storage (the ``limits`` package) has no SQL backend, so it
needs Redis or Memcached, and it has no refund of a granted event (a sign-in that turned out
to be the owner's).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import ThrottleEvent, utcnow


@dataclass(frozen=True)
class History:
    """What a key did within the window: how many events, the oldest and the newest."""

    count: int
    first_at: float | None
    last_at: float | None
    now: float
    window_seconds: int


TOLERANCE = 0.001  # seconds: times are kept to the microsecond, epoch floats less exactly
WaitRule = Callable[[History, int], float]
"""Seconds still to wait before ``cost`` more events are allowed (0 or less: allowed now)."""


@dataclass(frozen=True)
class Ticket:
    """The answer of ``take``: allowed or not, how long to wait, and what was recorded."""

    allowed: bool
    retry_after: int
    key: str
    events: tuple[str, ...] = ()


class Counter(Protocol):
    """A place other than the database to count events in (Redis)."""

    def count_recent(self, key: str, window_seconds: int) -> int:
        """How many events ``key`` had in the last ``window_seconds``."""

    def record(self, key: str, window_seconds: int) -> None:
        """Count one event for ``key``."""

    def take(self, key: str, window_seconds: int, rule: WaitRule, cost: int, now: float) -> Ticket:
        """Atomically apply ``rule`` to the key's history and record ``cost`` events if allowed."""

    def refund(self, key: str, events: Sequence[str]) -> None:
        """Forget the events a ticket recorded."""

    def clear(self, key: str) -> None:
        """Forget the events of ``key``."""


_backend: dict[str, Counter | None] = {"counter": None}


def use(counter: Counter | None) -> None:
    """Count in ``counter`` from now on (None: the database ledger)."""
    _backend["counter"] = counter


def clock() -> float:
    """The current time in seconds since the epoch (tests move it)."""
    return time.time()


# --- rules -------------------------------------------------------------------------------


def at_most(limit: int) -> WaitRule:
    """At most ``limit`` events in the window; then wait until the oldest leaves it."""

    def wait(history: History, cost: int) -> float:
        """Zero while the window has room for ``cost`` more."""
        if history.count + cost <= limit:
            return 0.0
        if cost > limit or history.first_at is None:
            return float(history.window_seconds)
        return history.first_at + history.window_seconds - history.now

    return wait


def backoff(free: int, base_seconds: float, max_seconds: float) -> WaitRule:
    """``free`` events without waiting, then an exponentially growing pause after each one:
    ``base``, ``2 * base``, ``4 * base`` ... up to ``max`` seconds after the newest event."""

    def wait(history: History, cost: int) -> float:
        """How much of the current pause is left."""
        if history.count < free or history.last_at is None:
            return 0.0
        pause = min(max_seconds, base_seconds * 2.0 ** min(history.count - free, 60))
        return history.last_at + pause - history.now

    return wait


def spacing(free: int, seconds: float) -> WaitRule:
    """``free`` events without waiting, then at least ``seconds`` between two events."""

    def wait(history: History, cost: int) -> float:
        """How much of the minimum spacing is left."""
        if history.count < free or history.last_at is None:
            return 0.0
        return history.last_at + seconds - history.now

    return wait


def retry_after(seconds: float) -> int:
    """Whole seconds for a ``Retry-After`` header (at least one; stored times are rounded to
    microseconds, so a hair over a whole second does not count as one more)."""
    return max(1, math.ceil(seconds - TOLERANCE))


# --- the operations ----------------------------------------------------------------------


def take(
    session: DbSession, key: str, window_seconds: int, rule: WaitRule, cost: int = 1
) -> Ticket:
    """Record ``cost`` events for ``key`` if ``rule`` allows them now, atomically.

    A refused ticket records nothing. A granted one can be handed back with ``refund``
    (a sign-in that turned out to be the owner's, say).
    """
    now = clock()
    counter = _backend["counter"]
    if counter is not None:
        return counter.take(key, window_seconds, rule, cost, now)
    return db_take(session, key, window_seconds, rule, cost, now)


def refund(session: DbSession, ticket: Ticket) -> None:
    """Forget the events a granted ticket recorded."""
    if not ticket.events:
        return
    counter = _backend["counter"]
    if counter is not None:
        counter.refund(ticket.key, ticket.events)
    else:
        db_refund(session, ticket.events)


def count_recent(session: DbSession, key: str, window_seconds: int) -> int:
    """How many events ``key`` has had in the last ``window_seconds`` (to show, not to limit:
    a limit is ``take``)."""
    counter = _backend["counter"]
    if counter is not None:
        return counter.count_recent(key, window_seconds)
    return db_count_recent(session, key, window_seconds)


def record(session: DbSession, key: str, window_seconds: int = 3600) -> None:
    """Count one event for ``key`` unconditionally (kept at least ``window_seconds``)."""
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


# --- the database ledger -----------------------------------------------------------------


_LEDGER: sa.Table = ThrottleEvent.__table__  # type: ignore[assignment]


def lock_key(session: DbSession, key: str) -> None:
    """Serialise every ``take`` of ``key`` until the caller's transaction ends.

    PostgreSQL: an advisory lock on the key's hash. SQLite: a write statement that touches
    no row, which takes the database's write lock before anything is read, so the count
    that follows cannot be stale.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "assess-throttle:" + key},
        )
    elif dialect == "sqlite":
        session.execute(
            sa.update(ThrottleEvent).where(sa.literal(False)).values(key=ThrottleEvent.key)
        )


def _epoch(moment: datetime | None) -> float | None:
    """A stored time as seconds since the epoch."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def db_history(session: DbSession, key: str, window_seconds: int, now: float) -> History:
    """The key's events in the database ledger within the window."""
    since = datetime.fromtimestamp(now - window_seconds, UTC)
    count, first, last = session.execute(
        sa.select(sa.func.count(), sa.func.min(ThrottleEvent.at), sa.func.max(ThrottleEvent.at))
        .where(ThrottleEvent.key == key, ThrottleEvent.at >= since)
    ).one()  # fmt: skip
    return History(int(count or 0), _epoch(first), _epoch(last), now, window_seconds)


def db_take(
    session: DbSession, key: str, window_seconds: int, rule: WaitRule, cost: int, now: float
) -> Ticket:
    """``take`` on the database ledger, under the key's lock (the caller commits)."""
    lock_key(session, key)
    wait = rule(db_history(session, key, window_seconds, now), cost)
    if wait > TOLERANCE:
        return Ticket(False, retry_after(wait), key)
    moment = datetime.fromtimestamp(now, UTC)
    # Core rows, not ORM objects: nothing reads them back but their ids (for a refund);
    # ``cost`` rows (a batch of invitations) in one statement
    insert = sa.insert(_LEDGER).returning(_LEDGER.c.id)
    ids = session.execute(insert, [{"key": key, "at": moment}] * cost).scalars().all()
    return Ticket(True, 0, key, tuple(str(event) for event in ids))


def db_refund(session: DbSession, events: Sequence[str]) -> None:
    """Delete the ledger rows a ticket added."""
    ids = [int(event) for event in events]
    session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.id.in_(ids)))


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
