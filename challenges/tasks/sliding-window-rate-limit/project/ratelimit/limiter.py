"""A rate limiter backed by Redis."""

from __future__ import annotations

import math
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
    """At most ``limit`` hits per key in every ``window_seconds``."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.client = client
        self.limit = limit
        self.window_seconds = window_seconds

    def hit(self, key: str, now: float) -> Decision:
        """Record one hit for ``key`` at time ``now`` (seconds) and decide on it."""
        start = int(now // self.window_seconds) * self.window_seconds
        counter = f"ratelimit:{key}:{start}"
        count = int(self.client.incr(counter))
        self.client.expire(counter, self.window_seconds)
        if count <= self.limit:
            return Decision(True, self.limit - count, 0)
        return Decision(False, 0, math.ceil(start + self.window_seconds - now))
