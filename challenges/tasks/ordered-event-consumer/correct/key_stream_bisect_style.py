"""An idempotent consumer that handles events in sequence order per key.

Style: one small ``_KeyStream`` object per key keeps its last handled seq and a pending
buffer held as two parallel lists kept sorted with ``bisect`` (seqs and the buffered
snapshots). An event is taken out of the buffer *before* the handler is called and only
recorded as handled after the handler returned, so a failing handler leaves the failed
event forgotten without any clean-up code.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

Event = dict[str, Any]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _KeyStream:
    """The state of one key: last handled seq and the sorted pending buffer."""

    __slots__ = ("last", "seqs", "events")

    def __init__(self) -> None:
        self.last = 0
        self.seqs: list[int] = []  # ascending
        self.events: list[Event] = []  # snapshot for seqs[i]

    def has_pending(self, seq: int) -> bool:
        i = bisect.bisect_left(self.seqs, seq)
        return i < len(self.seqs) and self.seqs[i] == seq

    def add_pending(self, seq: int, snapshot: Event) -> None:
        i = bisect.bisect_left(self.seqs, seq)
        self.seqs.insert(i, seq)
        self.events.insert(i, snapshot)

    def pop_next_ready(self) -> Event | None:
        """Remove and return the buffered event for ``last + 1``, if it is there."""
        if self.seqs and self.seqs[0] == self.last + 1:
            del self.seqs[0]
            return self.events.pop(0)
        return None


class OrderedConsumer:
    """Hand events to ``handler`` exactly once each, in ``seq`` order within each key."""

    def __init__(self, handler: Callable[[Event], None], max_pending: int = 100) -> None:
        """Create a consumer that buffers at most ``max_pending`` events per key."""
        if not _is_int(max_pending) or max_pending < 1:
            raise ValueError("max_pending must be an int >= 1")
        self._handler = handler
        self._max_pending = max_pending
        self._streams: dict[str, _KeyStream] = {}
        self._handled_ids: set[str] = set()
        self._pending_ids: set[str] = set()

    def last_seq(self, key: str) -> int:
        """Return the last handled seq of ``key`` (0 when nothing was handled)."""
        stream = self._streams.get(key)
        return stream.last if stream is not None else 0

    def pending(self, key: str) -> list[int]:
        """Return the seqs buffered for ``key``, ascending."""
        stream = self._streams.get(key)
        return list(stream.seqs) if stream is not None else []

    @staticmethod
    def _validate(event: object) -> None:
        if not isinstance(event, dict):
            raise ValueError("event must be a dict")
        event_id = event.get("id")
        if not isinstance(event_id, str) or not event_id:
            raise ValueError("event id must be a non-empty str")
        if not isinstance(event.get("key"), str):
            raise ValueError("event key must be a str")
        seq = event.get("seq")
        if not _is_int(seq) or seq < 1:
            raise ValueError("event seq must be an int >= 1")

    def _handle(self, stream: _KeyStream, snapshot: Event) -> str:
        """Call the handler; on success record the event as handled and return its id."""
        event_id, seq = snapshot["id"], snapshot["seq"]
        self._handler(snapshot)  # if this raises, the event was never recorded
        self._handled_ids.add(event_id)
        stream.last = seq
        return event_id

    def receive(self, event: Event) -> list[str]:
        """Accept one delivery; return the ids handled by this call, in order."""
        self._validate(event)
        snapshot = dict(event)
        event_id, key, seq = snapshot["id"], snapshot["key"], snapshot["seq"]

        if event_id in self._handled_ids or event_id in self._pending_ids:
            return []
        stream = self._streams.get(key)
        if stream is not None and (seq <= stream.last or stream.has_pending(seq)):
            return []

        if stream is None:
            stream = _KeyStream()
        expected = stream.last + 1
        if seq > expected:
            if len(stream.seqs) >= self._max_pending:
                raise OverflowError(f"too many pending events for key {key!r}")
            stream.add_pending(seq, snapshot)
            self._pending_ids.add(event_id)
            self._streams[key] = stream
            return []

        self._streams[key] = stream
        handled = [self._handle(stream, snapshot)]
        while (ready := stream.pop_next_ready()) is not None:
            self._pending_ids.discard(ready["id"])
            handled.append(self._handle(stream, ready))
        return handled
