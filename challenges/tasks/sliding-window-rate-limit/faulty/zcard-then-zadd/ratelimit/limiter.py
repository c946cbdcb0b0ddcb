"""A sliding-window-log rate limiter backed by Redis."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

import redis


@dataclass(frozen=True)
class Decision:
    """The answer to one hit.

    ``allowed``: whether the hit may go through; ``remaining``: how many more hits the
    window takes after this one; ``retry_after``: whole seconds to wait before a hit can be
    allowed again (0 when this one was allowed)."""

    allowed: bool
    remaining: int
    retry_after: int


class Limiter:
    """At most ``limit`` allowed hits per key in every window (now - window_seconds, now]."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.client = client
        self.limit = limit
        self.window_seconds = window_seconds

    def hit(self, key: str, now: float) -> Decision:
        """Decide on one hit for ``key`` at time ``now`` (seconds); record it if allowed."""
        name = f"ratelimit:{key}"
        with self.client.pipeline() as pipe:
            pipe.zremrangebyscore(name, "-inf", now - self.window_seconds)
            pipe.zcard(name)
            pipe.zrange(name, 0, 0, withscores=True)
            _, count, oldest = pipe.execute()
        if count >= self.limit:
            return Decision(False, 0, math.ceil(oldest[0][1] + self.window_seconds - now))
        with self.client.pipeline() as pipe:
            pipe.zadd(name, {f"{now!r}:{uuid.uuid4().hex}": now})
            pipe.expire(name, self.window_seconds)
            pipe.execute()
        return Decision(True, self.limit - count - 1, 0)
