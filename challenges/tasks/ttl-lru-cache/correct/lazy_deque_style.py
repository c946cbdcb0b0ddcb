"""A least-recently-used cache whose entries expire a fixed time after they are written.

Style: no linked list and no OrderedDict. A plain dict maps each key to a small list
``[value, written, write_stamp, use_stamp]``; two deques of stamped records (one in order
of use, one in order of writing) are cleaned lazily: a record whose stamp no longer
matches its entry is stale and skipped. Because the ttl is fixed and the clock never goes
backwards, write order is also expiry order, so expired entries always sit at the front
of the write deque. Stale records are compacted away once they outnumber the live ones,
which keeps every operation amortised O(1).
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

_VALUE, _WRITTEN, _WRITE_STAMP, _USE_STAMP = range(4)


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
        self._entries: dict[Hashable, list[Any]] = {}
        self._uses: deque[tuple[int, Hashable]] = deque()  # (use_stamp, key), oldest first
        self._writes: deque[tuple[int, float, Hashable]] = deque()  # (stamp, written, key)
        self._stamps = itertools.count(1)

    # -- internals ---------------------------------------------------------------------

    def _compact_uses(self) -> None:
        """Drop the stale records of the use deque (amortised over the appends)."""
        entries = self._entries
        self._uses = deque(
            rec
            for rec in self._uses
            if (e := entries.get(rec[1])) is not None and e[_USE_STAMP] == rec[0]
        )

    def _compact_writes(self) -> None:
        """Drop the stale records of the write deque (amortised over the appends)."""
        entries = self._entries
        self._writes = deque(
            rec
            for rec in self._writes
            if (e := entries.get(rec[2])) is not None and e[_WRITE_STAMP] == rec[0]
        )

    def _drop_expired(self, now: float) -> None:
        """Remove every expired entry (they all sit at the front of the write deque)."""
        writes, entries, ttl = self._writes, self._entries, self._ttl
        while writes:
            stamp, written, key = writes[0]
            entry = entries.get(key)
            if entry is None or entry[_WRITE_STAMP] != stamp:
                writes.popleft()  # stale record: the key was rewritten or removed
            elif now - written >= ttl:
                writes.popleft()
                del entries[key]
            else:
                break

    def _evict_least_recent(self) -> None:
        uses, entries = self._uses, self._entries
        while uses:
            stamp, key = uses.popleft()
            entry = entries.get(key)
            if entry is not None and entry[_USE_STAMP] == stamp:
                del entries[key]
                return

    # -- public API ----------------------------------------------------------------------

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live entry's value (making it most recent), else ``default``."""
        now = self._clock()
        entry = self._entries.get(key)
        if entry is None:
            return default
        if now - entry[_WRITTEN] >= self._ttl:
            del self._entries[key]
            return default
        stamp = next(self._stamps)
        entry[_USE_STAMP] = stamp
        uses = self._uses
        uses.append((stamp, key))
        if len(uses) > 2 * len(self._entries) + 32:
            self._compact_uses()
        return entry[_VALUE]

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``; evict expired, then least recently used, entries."""
        now = self._clock()
        entries = self._entries
        entry = entries.get(key)
        write_stamp = next(self._stamps)
        use_stamp = next(self._stamps)
        if entry is not None:
            # Replacement: new value, write time and recency; never evicts another entry.
            entry[_VALUE] = value
            entry[_WRITTEN] = now
            entry[_WRITE_STAMP] = write_stamp
            entry[_USE_STAMP] = use_stamp
        else:
            if len(entries) >= self._capacity:
                self._drop_expired(now)
                if len(entries) >= self._capacity:
                    self._evict_least_recent()
            entries[key] = [value, now, write_stamp, use_stamp]
        writes, uses = self._writes, self._uses
        writes.append((write_stamp, now, key))
        uses.append((use_stamp, key))
        limit = 2 * len(entries) + 32
        if len(writes) > limit:
            self._compact_writes()
        if len(uses) > limit:
            self._compact_uses()

    def __len__(self) -> int:
        """Count the live entries."""
        self._drop_expired(self._clock())
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live; recency is unchanged."""
        now = self._clock()
        entry = self._entries.get(key)  # type: ignore[call-overload]
        return entry is not None and now - entry[_WRITTEN] < self._ttl
