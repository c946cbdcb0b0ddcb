"""Rate-limit counting behind one small interface: the database (the default, shared by
every process) or Redis (for large scaled installations: no write per counted event in
PostgreSQL, and old events expire by themselves).

Both count events per key in a sliding window. ``counter_for(app)`` picks Redis when
``ASSESS_RATE_LIMIT_BACKEND=redis`` and ``REDIS_URL`` is set, else the database.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Protocol

from flask import Flask
from redis import Redis
from redis.exceptions import WatchError
from sqlalchemy.orm import Session

from assess.services import throttle
from assess.services.throttle import History, Ticket, WaitRule

KEY_PREFIX = "assess:rl:"
TAKE_TRIES = 200  # optimistic retries of one ``take`` under contention before refusing


class EventCounter(Protocol):
    """Counts events per key in a sliding window."""

    def count_recent(self, key: str, window_seconds: int) -> int:
        """How many events ``key`` had in the last ``window_seconds``."""

    def record(self, key: str, window_seconds: int) -> None:
        """Count one event for ``key`` (kept at least ``window_seconds``)."""

    def take(self, key: str, window_seconds: int, rule: WaitRule, cost: int, now: float) -> Ticket:
        """Atomically apply ``rule`` and record ``cost`` events if it allows them."""

    def refund(self, key: str, events: Sequence[str]) -> None:
        """Forget the events a ticket recorded."""

    def clear(self, key: str) -> None:
        """Forget the events of ``key``."""


class DatabaseCounter:
    """The throttle ledger in the database (the caller commits, as with any service)."""

    def __init__(self, session: Session) -> None:
        """Count through ``session``."""
        self.session = session

    def count_recent(self, key: str, window_seconds: int) -> int:
        """Rows of ``key`` in the window."""
        return throttle.db_count_recent(self.session, key, window_seconds)

    def record(self, key: str, window_seconds: int) -> None:
        """Add a row (pruned later by ``throttle.prune`` or retention)."""
        throttle.db_record(self.session, key)

    def take(self, key: str, window_seconds: int, rule: WaitRule, cost: int, now: float) -> Ticket:
        """Decide and record under the key's database lock."""
        return throttle.db_take(self.session, key, window_seconds, rule, cost, now)

    def refund(self, key: str, events: Sequence[str]) -> None:
        """Delete the rows a ticket added."""
        throttle.db_refund(self.session, events)

    def clear(self, key: str) -> None:
        """Delete the rows of ``key``."""
        throttle.db_clear(self.session, key)


class RedisCounter:
    """A sorted set per key: members are events, scores their times; expires by itself."""

    def __init__(self, redis: Redis) -> None:
        """Count in ``redis``."""
        self.redis = redis

    def count_recent(self, key: str, window_seconds: int) -> int:
        """Drop events older than the window, count the rest."""
        name = KEY_PREFIX + key
        now = time.time()
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(name, 0, now - window_seconds)
        pipe.zcard(name)
        return int(pipe.execute()[1])

    def record(self, key: str, window_seconds: int) -> None:
        """Add an event now; the key lives as long as its window."""
        name = KEY_PREFIX + key
        pipe = self.redis.pipeline()
        pipe.zadd(name, {uuid.uuid4().hex: time.time()})
        pipe.expire(name, max(1, window_seconds))
        pipe.execute()

    def take(self, key: str, window_seconds: int, rule: WaitRule, cost: int, now: float) -> Ticket:
        """Read, decide and write as one optimistic transaction (WATCH/MULTI): when another
        client changes the key in between, EXEC fails and the decision is made again."""
        name = KEY_PREFIX + key
        with self.redis.pipeline() as pipe:
            for _try in range(TAKE_TRIES):
                try:
                    pipe.watch(name)  # type: ignore[no-untyped-call]
                    found: list[tuple[bytes, float]] = pipe.zrangebyscore(  # type: ignore[assignment]
                        name, now - window_seconds, "+inf", withscores=True
                    )
                    scores = [float(score) for _member, score in found]
                    history = History(
                        len(scores), min(scores, default=None), max(scores, default=None),
                        now, window_seconds,
                    )  # fmt: skip
                    wait = rule(history, cost)
                    if wait > throttle.TOLERANCE:
                        pipe.unwatch()
                        return Ticket(False, throttle.retry_after(wait), key)
                    members = [uuid.uuid4().hex for _ in range(cost)]
                    pipe.multi()
                    pipe.zremrangebyscore(name, 0, now - window_seconds)
                    pipe.zadd(name, dict.fromkeys(members, now))
                    pipe.expire(name, max(1, window_seconds))
                    pipe.execute()
                    return Ticket(True, 0, key, tuple(members))
                except WatchError:
                    continue
        return Ticket(False, 1, key)

    def refund(self, key: str, events: Sequence[str]) -> None:
        """Remove the members a ticket added."""
        if events:
            self.redis.zrem(KEY_PREFIX + key, *events)

    def clear(self, key: str) -> None:
        """Delete the key."""
        self.redis.delete(KEY_PREFIX + key)


def counter_for(app: Flask, session: Session | None) -> EventCounter:
    """The configured counter: Redis when asked for and available, else the database."""
    url = str(app.config.get("REDIS_URL") or "")
    backend = str(app.config.get("RATE_LIMIT_BACKEND") or "database").strip()
    if backend == "redis" and url:
        client = app.extensions.get("ops.ratelimit.redis")
        if client is None:
            client = app.extensions["ops.ratelimit.redis"] = Redis.from_url(url)
        return RedisCounter(client)
    if session is None:
        raise ValueError("the database counter needs a session")
    return DatabaseCounter(session)


def init_app(app: Flask) -> None:
    """Send every throttle in the app to Redis when so configured (else the database)."""
    if app.config.get("RATE_LIMIT_BACKEND") == "redis" and app.config.get("REDIS_URL"):
        throttle.use(counter_for(app, None))  # type: ignore[arg-type]
    else:
        throttle.use(None)
