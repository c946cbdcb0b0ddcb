"""A least-recently-used cache whose entries expire a fixed time after they are written."""

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
        self._capacity = capacity
        self._ttl = ttl
        self._clock = clock
        # key -> value, least recently used first
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        # key -> write time, oldest write first (the clock never goes backwards)
        self._written: OrderedDict[Hashable, float] = OrderedDict()

    def _remove(self, key: Hashable) -> None:
        """Forget ``key`` in both orders."""
        del self._values[key]
        del self._written[key]

    def _drop_expired(self, now: float) -> None:
        """Drop every expired entry: they are the oldest writes, so amortised O(1)."""
        written = self._written
        while written:
            key, at = next(iter(written.items()))
            if now - at < self._ttl:
                return
            self._remove(key)

    def _is_live(self, key: Hashable, now: float) -> bool:
        """Whether ``key`` is stored and not expired at ``now``."""
        at = self._written.get(key)
        return at is not None and now - at < self._ttl

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live entry's value (making it most recent), else ``default``."""
        if key not in self._written:
            return default
        if not self._is_live(key, self._clock()):
            self._remove(key)
            return default
        self._values.move_to_end(key)
        return self._values[key]

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``; evict expired, then least recently used, entries."""
        now = self._clock()
        if key in self._values:
            self._values[key] = value
            self._values.move_to_end(key)
            self._written[key] = now
            self._written.move_to_end(key)
            return
        if len(self._values) >= self._capacity:
            self._drop_expired(now)
            if len(self._values) >= self._capacity:
                oldest = next(iter(self._values))
                self._remove(oldest)
        self._values[key] = value
        self._written[key] = now

    def __len__(self) -> int:
        """Count the live entries."""
        self._drop_expired(self._clock())
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live; recency is unchanged."""
        return self._is_live(key, self._clock())  # type: ignore[arg-type]
