"""A TTL + LRU cache built on two ``OrderedDict``s: one in recency order, one in write order.

Every entry has the same time to live and the clock never goes backwards, so entries expire
in the order they were written: the oldest writes sit at the front of ``_written`` and
expired entries are dropped from there, each once, which keeps every operation amortised O(1).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """LRU cache of at most ``capacity`` entries, each live for ``ttl`` seconds."""

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Validate the limits and start empty."""
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self._capacity = capacity
        self._ttl = ttl
        self._clock = clock
        self._values: OrderedDict[Hashable, Any] = OrderedDict()  # least recent first
        self._written: OrderedDict[Hashable, float] = OrderedDict()  # oldest write first

    def _drop_expired(self, now: float) -> None:
        """Forget every entry written ``ttl`` or more seconds before ``now``."""
        written = self._written
        while written:
            key, at = next(iter(written.items()))
            if now - at < self._ttl:
                return
            del written[key]
            del self._values[key]

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live entry's value (making it most recent), else ``default``."""
        self._drop_expired(self._clock())
        if key not in self._values:
            return default
        self._values.move_to_end(key)
        return self._values[key]

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``; evict expired, then least recently used, entries."""
        now = self._clock()
        self._drop_expired(now)
        if key not in self._values and len(self._values) >= self._capacity:
            least_recent, _ = self._values.popitem(last=False)
            del self._written[least_recent]
        self._values[key] = value
        self._values.move_to_end(key)
        self._written[key] = now
        self._written.move_to_end(key)

    def __len__(self) -> int:
        """Count the live entries."""
        self._drop_expired(self._clock())
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live; recency is unchanged."""
        self._drop_expired(self._clock())
        return key in self._values
