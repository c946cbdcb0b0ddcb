"""A sliding-window-log rate limiter backed by a Redis sorted set.

The whole check-and-record step is one Lua script (atomic on the server). The script
stores nothing but the allowed hits in ``ratelimit:<key>``; each hit's member is
``<now>#<n>`` with the smallest ``n`` not taken yet, so hits at the same time get
distinct members without any extra key or randomness. The script only reports what it
saw; the decision itself is computed in Python by :func:`decide`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import redis

# KEYS[1] the sorted set; ARGV: now, cutoff (= now - window), limit, window.
# Returns {1, count_after} when the hit was recorded, {0, oldest_score} when it was not.
_SLIDE_AND_RECORD = """
local name = KEYS[1]
local now = ARGV[1]
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', name, '-inf', ARGV[2])
local count = redis.call('ZCARD', name)
if count >= limit then
    local oldest = redis.call('ZRANGE', name, 0, 0, 'WITHSCORES')
    return {0, oldest[2]}
end
local n = 1
while redis.call('ZSCORE', name, now .. '#' .. n) do
    n = n + 1
end
redis.call('ZADD', name, now, now .. '#' .. n)
redis.call('EXPIRE', name, ARGV[4])
return {1, count + 1}
"""


@dataclass(frozen=True)
class Decision:
    """The answer to one hit.

    ``allowed``: whether the hit may go through; ``remaining``: how many more hits the
    window takes after this one; ``retry_after``: whole seconds to wait before a hit can be
    allowed again (0 when this one was allowed)."""

    allowed: bool
    remaining: int
    retry_after: int


def decide(limit: int, window_seconds: int, now: float, recorded: bool, detail) -> Decision:
    """The decision for what the script reported (``detail``: the count after an allowed
    hit, or the oldest score in the window after a rejected one)."""
    if recorded:
        return Decision(True, int(limit - int(detail)), 0)
    oldest = float(detail.decode() if isinstance(detail, bytes) else detail)
    wait = math.ceil(oldest + window_seconds - now)
    return Decision(False, 0, int(max(1, wait)))


class Limiter:
    """At most ``limit`` allowed hits per key in every window of ``window_seconds``."""

    def __init__(self, client: redis.Redis, limit: int, window_seconds: int) -> None:
        self.client = client
        self.limit = limit
        self.window_seconds = window_seconds
        self._script = client.register_script(_SLIDE_AND_RECORD)

    @staticmethod
    def storage_key(key: str) -> str:
        return f"ratelimit:{key}"

    def hit(self, key: str, now: float) -> Decision:
        """Decide on one hit for ``key`` at time ``now`` (seconds), recording it if allowed."""
        now = float(now)
        recorded, detail = self._script(
            keys=[self.storage_key(key)],
            args=[repr(now), repr(now - self.window_seconds), self.limit, self.window_seconds],
        )
        return decide(self.limit, self.window_seconds, now, bool(int(recorded)), detail)
