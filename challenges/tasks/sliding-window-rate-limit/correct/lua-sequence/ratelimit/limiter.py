"""Rate limiting with a sliding-window log kept in a Redis sorted set."""

from __future__ import annotations

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


# KEYS: the log (a sorted set) and a per-key sequence used to make members unique.
# ARGV: now, window (seconds), limit, now - window (the newest time already out).
_SLIDING_LOG = """
local log, seq = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', log, '-inf', ARGV[4])
local used = redis.call('ZCOUNT', log, '-inf', '+inf')
if used >= limit then
  local first = redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')
  local left = tonumber(first[2]) + window - now
  local whole = math.floor(left)
  if whole < left then whole = whole + 1 end
  return {0, 0, whole}
end
local n = redis.call('INCR', seq)
redis.call('PEXPIRE', seq, window * 1000)
redis.call('ZADD', log, ARGV[1], ARGV[1] .. '#' .. n)
redis.call('PEXPIRE', log, window * 1000)
return {1, limit - used - 1, 0}
"""


class Limiter:
    """Allows at most ``limit`` hits per key in any ``window_seconds``."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self._limit = limit
        self._window = window_seconds
        self._run = client.register_script(_SLIDING_LOG)

    def hit(self, key: str, now: float) -> Decision:
        cutoff = now - self._window
        flag, remaining, wait = self._run(
            keys=[f"ratelimit:{key}", f"ratelimit-seq:{key}"],
            args=[repr(float(now)), self._window, self._limit, repr(float(cutoff))],
        )
        return Decision(bool(flag), int(remaining), int(wait))
