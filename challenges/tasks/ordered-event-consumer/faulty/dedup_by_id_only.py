"""Faulty: only ids are deduplicated; a replay under a new id with an old seq is handled again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Event = dict[str, Any]


def _validate(event: Any) -> tuple[str, str, int]:
    """Return the event's (id, key, seq) or raise ValueError when it is malformed."""
    if type(event) is not dict:
        raise ValueError("an event must be a dict")
    event_id, key, seq = event.get("id"), event.get("key"), event.get("seq")
    if not isinstance(event_id, str) or not event_id:
        raise ValueError("event id must be a non-empty string")
    if not isinstance(key, str):
        raise ValueError("event key must be a string")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError("event seq must be an integer >= 1")
    return event_id, key, seq


class OrderedConsumer:
    """Hand events to ``handler`` exactly once each, in ``seq`` order within each key."""

    def __init__(self, handler: Callable[[Event], None], max_pending: int = 100) -> None:
        """Create a consumer that buffers at most ``max_pending`` events per key."""
        if isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1:
            raise ValueError("max_pending must be an integer >= 1")
        self._handler = handler
        self._max_pending = max_pending
        self._last: dict[str, int] = {}
        self._pending: dict[str, dict[int, Event]] = {}
        self._pending_ids: set[str] = set()
        self._handled_ids: set[str] = set()

    def last_seq(self, key: str) -> int:
        """Return the last handled seq of ``key`` (0 when nothing was handled)."""
        return self._last.get(key, 0)

    def pending(self, key: str) -> list[int]:
        """Return the seqs buffered for ``key``, ascending."""
        return sorted(self._pending.get(key, {}))

    def receive(self, event: Event) -> list[str]:
        """Accept one delivery; return the ids handled by this call, in order."""
        event_id, key, seq = _validate(event)
        last = self._last.get(key, 0)
        waiting = self._pending.get(key, {})
        if event_id in self._handled_ids or event_id in self._pending_ids or seq in waiting:
            return []
        if seq <= last:
            self._handler(dict(event))
            self._handled_ids.add(event_id)
            return [event_id]
        if seq > last + 1:
            if len(waiting) >= self._max_pending:
                raise OverflowError(f"more than {self._max_pending} events pending for {key!r}")
            self._pending.setdefault(key, {})[seq] = dict(event)
            self._pending_ids.add(event_id)
            return []
        handled: list[str] = []
        current: Event | None = dict(event)
        while current is not None:
            self._handler(current)
            self._last[key] = seq
            self._handled_ids.add(current["id"])
            handled.append(current["id"])
            seq += 1
            current = waiting.pop(seq, None)
            if current is not None:
                self._pending_ids.discard(current["id"])
        if not waiting:
            self._pending.pop(key, None)
        return handled
