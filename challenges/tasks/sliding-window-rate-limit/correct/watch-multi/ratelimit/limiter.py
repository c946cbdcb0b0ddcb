"""Sliding-window-log rate limiting with optimistic WATCH/MULTI transactions."""

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
    """Keeps the allowed hits of each key in the sorted set ``ratelimit:<key>``."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.client = client
        self.limit = limit
        self.window_seconds = window_seconds

    def hit(self, key: str, now: float) -> Decision:
        name = "ratelimit:" + key
        cutoff = now - self.window_seconds
        while True:
            with self.client.pipeline() as pipe:
                try:
                    pipe.watch(name)
                    # read under the watch: the hits still in (cutoff, now]
                    hits = pipe.zrangebyscore(name, f"({cutoff!r}", "+inf", withscores=True)
                    pipe.multi()
                    pipe.zremrangebyscore(name, "-inf", cutoff)
                    if len(hits) >= self.limit:
                        pipe.execute()
                        wait = math.ceil(hits[0][1] + self.window_seconds - now)
                        return Decision(allowed=False, remaining=0, retry_after=wait)
                    pipe.zadd(name, {uuid.uuid4().hex: now})
                    pipe.expire(name, self.window_seconds)
                    pipe.execute()
                    left = self.limit - len(hits) - 1
                    return Decision(allowed=True, remaining=left, retry_after=0)
                except redis.WatchError:
                    continue
