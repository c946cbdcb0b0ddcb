"""A least-recently-used cache whose entries expire a fixed time after they are written."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """LRU cache of at most ``capacity`` entries, each live for ``ttl`` seconds."""

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Validate the limits and start empty."""
        raise NotImplementedError

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live entry's value (making it most recent), else ``default``."""
        raise NotImplementedError

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``; evict expired, then least recently used, entries."""
        raise NotImplementedError

    def __len__(self) -> int:
        """Count the live entries."""
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live; recency is unchanged."""
        raise NotImplementedError
