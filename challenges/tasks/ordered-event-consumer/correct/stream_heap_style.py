"""An ordered, idempotent consumer: one stream object per key with a heap of waiting events."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]


def _is_count(value: object) -> bool:
    """Whether ``value`` is a real int (not a bool) of at least 1."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


@dataclass
class _Stream:
    """The progress of one key: last handled seq and a heap of (seq, id, snapshot)."""

    last: int = 0
    heap: list[tuple[int, str, Event]] = field(default_factory=list)
    seqs: set[int] = field(default_factory=set)

    def next_ready(self) -> tuple[int, str, Event] | None:
        """Pop the waiting event that directly follows ``last``, if there is one."""
        if self.heap and self.heap[0][0] == self.last + 1:
            item = heapq.heappop(self.heap)
            self.seqs.discard(item[0])
            return item
        return None


class OrderedConsumer:
    """Hand events to ``handler`` exactly once each, in ``seq`` order within each key."""

    def __init__(self, handler: Callable[[Event], None], max_pending: int = 100) -> None:
        """Create a consumer that buffers at most ``max_pending`` events per key."""
        if not _is_count(max_pending):
            raise ValueError("max_pending must be an int >= 1")
        self._handler = handler
        self._limit = max_pending
        self._streams: defaultdict[str, _Stream] = defaultdict(_Stream)
        self._seen: dict[str, str] = {}  # id -> "handled" | "pending"

    def last_seq(self, key: str) -> int:
        """Return the last handled seq of ``key`` (0 when nothing was handled)."""
        stream = self._streams.get(key)
        return stream.last if stream else 0

    def pending(self, key: str) -> list[int]:
        """Return the seqs buffered for ``key``, ascending."""
        stream = self._streams.get(key)
        return sorted(stream.seqs) if stream else []

    def receive(self, event: Event) -> list[str]:
        """Accept one delivery; return the ids handled by this call, in order."""
        if not isinstance(event, dict):
            raise ValueError("an event must be a dict")
        event_id, key, seq = event.get("id"), event.get("key"), event.get("seq")
        if not isinstance(event_id, str) or event_id == "":
            raise ValueError("id must be a non-empty str")
        if not isinstance(key, str):
            raise ValueError("key must be a str")
        if not _is_count(seq):
            raise ValueError("seq must be an int >= 1")
        if event_id in self._seen:
            return []
        stream = self._streams[key]
        if seq <= stream.last or seq in stream.seqs:
            return []
        snapshot = dict(event)
        if seq != stream.last + 1:
            if len(stream.seqs) >= self._limit:
                raise OverflowError("the pending buffer of this key is full")
            heapq.heappush(stream.heap, (seq, event_id, snapshot))
            stream.seqs.add(seq)
            self._seen[event_id] = "pending"
            return []
        done: list[str] = []
        item: tuple[int, str, Event] | None = (seq, event_id, snapshot)
        while item is not None:
            item_seq, item_id, item_event = item
            self._seen.pop(item_id, None)
            self._handler(item_event)
            stream.last = item_seq
            self._seen[item_id] = "handled"
            done.append(item_id)
            item = stream.next_ready()
        return done
