"""A correct but O(n) TTLCache: recency kept in a list, scanned on every operation."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """LRU cache with a time to live, using a plain list for recency."""

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Validate the limits and start empty."""
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self.order: list[Hashable] = []
        self.data: dict[Hashable, tuple[Any, float]] = {}

    def _live(self, key: Hashable, now: float) -> bool:
        """Whether ``key`` is live."""
        return key in self.data and now - self.data[key][1] < self.ttl

    def _forget(self, key: Hashable) -> None:
        """Remove ``key`` everywhere."""
        del self.data[key]
        self.order.remove(key)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live value and make it most recent."""
        if key not in self.data:
            return default
        if not self._live(key, self.clock()):
            self._forget(key)
            return default
        self.order.remove(key)
        self.order.append(key)
        return self.data[key][0]

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace."""
        now = self.clock()
        if key in self.data:
            self.order.remove(key)
        elif len(self.data) >= self.capacity:
            for old in [k for k in self.order if not self._live(k, now)]:
                self._forget(old)
            if len(self.data) >= self.capacity:
                self._forget(self.order[0])
        self.data[key] = (value, now)
        self.order.append(key)

    def __len__(self) -> int:
        """Count live entries."""
        now = self.clock()
        return sum(1 for k in self.order if self._live(k, now))

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live."""
        return self._live(key, self.clock())  # type: ignore[arg-type]
