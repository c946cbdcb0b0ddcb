"""An ordered, idempotent consumer built on plain dictionaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]


def _validated(event: object) -> Event:
    """Return ``event`` if it is well-formed, else raise ValueError."""
    if not isinstance(event, dict):
        raise ValueError("an event must be a dict")
    event_id = event.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise ValueError("id must be a non-empty str")
    if not isinstance(event.get("key"), str):
        raise ValueError("key must be a str")
    seq = event.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError("seq must be an int >= 1")
    return event


class OrderedConsumer:
    """Hand events to ``handler`` exactly once each, in ``seq`` order within each key."""

    def __init__(self, handler: Callable[[Event], None], max_pending: int = 100) -> None:
        """Create a consumer that buffers at most ``max_pending`` events per key."""
        if isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1:
            raise ValueError("max_pending must be an int >= 1")
        self._handler = handler
        self._max_pending = max_pending
        self._last: dict[str, int] = {}
        self._pending: dict[str, dict[int, Event]] = {}
        self._handled_ids: set[str] = set()
        self._pending_ids: set[str] = set()

    def last_seq(self, key: str) -> int:
        """Return the last handled seq of ``key`` (0 when nothing was handled)."""
        return self._last.get(key, 0)

    def pending(self, key: str) -> list[int]:
        """Return the seqs buffered for ``key``, ascending."""
        return sorted(self._pending.get(key, {}))

    def receive(self, event: Event) -> list[str]:
        """Accept one delivery; return the ids handled by this call, in order."""
        _validated(event)
        event_id, key, seq = event["id"], event["key"], event["seq"]
        if event_id in self._handled_ids or event_id in self._pending_ids:
            return []
        last = self._last.get(key, 0)
        waiting = self._pending.setdefault(key, {})
        if seq <= last or seq in waiting:
            return []
        if seq > last + 1:
            if len(waiting) >= self._max_pending:
                raise OverflowError(f"more than {self._max_pending} events pending for {key!r}")
            waiting[seq] = dict(event)
            self._pending_ids.add(event_id)
            return []
        handled: list[str] = []
        current: Event | None = dict(event)
        while current is not None:
            self._handler(current)
            self._handled_ids.add(current["id"])
            self._last[key] = current["seq"]
            handled.append(current["id"])
            current = waiting.pop(current["seq"] + 1, None)
            if current is not None:
                self._pending_ids.discard(current["id"])
        return handled
