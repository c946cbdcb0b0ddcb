"""A sliding-window-log rate limiter backed by Redis."""

from __future__ import annotations

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


# KEYS[1]: the sorted set of allowed hits. ARGV: now, now - window, limit, window, member.
# Forget the hits that left the window (score <= now - window), then record this hit only
# if fewer than ``limit`` remain; all of it in one script, so no other hit runs in between.
HIT_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[3])
if count < limit then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + tonumber(ARGV[4]) - tonumber(ARGV[1])
return {0, 0, math.ceil(wait)}
"""


class Limiter:
    """At most ``limit`` allowed hits per key in every window (now - window_seconds, now]."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.client = client
        self.limit = limit
        self.window_seconds = window_seconds
        self._script = client.register_script(HIT_SCRIPT)

    def hit(self, key: str, now: float) -> Decision:
        """Decide on one hit for ``key`` at time ``now`` (seconds); record it if allowed."""
        member = f"{now!r}:{uuid.uuid4().hex}"
        args = [repr(now), repr(now - self.window_seconds), self.limit, self.window_seconds]
        allowed, remaining, retry_after = self._script(
            keys=[f"ratelimit:{key}"], args=[*args, member]
        )
        return Decision(allowed == 1, int(remaining), int(retry_after))
