"""A sliding-window-log limiter: one Lua script per hit, sent with EVAL."""

from __future__ import annotations

import itertools
import math
import os
import threading
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


_IDS = itertools.count()

# Returns {allowed (1/0), hits in the window after the call, oldest score as a string}.
_LUA = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local n = redis.call('ZCARD', KEYS[1])
if n < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
  return {1, n + 1, ''}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, n, first[2]}
"""


class Limiter:
    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.redis = client
        self.limit = int(limit)
        self.window = int(window_seconds)

    def _member(self, now: float) -> str:
        return f"{now}:{os.getpid()}:{threading.get_ident()}:{next(_IDS)}"

    def hit(self, key: str, now: float) -> Decision:
        allowed, count, oldest = self.redis.eval(
            _LUA,
            1,
            f"ratelimit:{key}",
            repr(now),
            repr(now - self.window),
            self.limit,
            self.window,
            self._member(now),
        )
        if allowed:
            return Decision(True, self.limit - count, 0)
        return Decision(False, 0, math.ceil(float(oldest) + self.window - now))
