"""A TTL + LRU cache from a plain dict, a hand-made doubly linked list and a queue of writes.

The linked list (with a sentinel node) keeps recency: the most recent entry sits right after
the sentinel, the least recent right before it. Expiry follows write order, because every
entry has the same time to live and the clock never goes backwards, so each write is also
queued; entries are dropped from the front of that queue once expired. A queued write that a
later write of the same key superseded is skipped (its stamp no longer matches).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any


class _Node:
    """One cache entry, linked into the recency list."""

    __slots__ = ("key", "next", "prev", "stamp", "value", "written")

    def __init__(self, key: Hashable, value: Any, written: float, stamp: int) -> None:
        """Create an unlinked node."""
        self.key = key
        self.value = value
        self.written = written
        self.stamp = stamp
        self.prev: _Node = self
        self.next: _Node = self


class TTLCache:
    """LRU cache of at most ``capacity`` entries, each live for ``ttl`` seconds."""

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Validate the limits and start empty."""
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity!r}")
        if ttl <= 0:
            raise ValueError(f"ttl must be > 0, got {ttl!r}")
        self.capacity = capacity
        self.ttl = ttl
        self.clock = clock
        self._nodes: dict[Hashable, _Node] = {}
        self._head = _Node(None, None, 0.0, -1)  # sentinel: head.next is the most recent
        self._writes: deque[tuple[int, _Node]] = deque()  # (stamp, node), oldest first
        self._stamp = 0

    # -- the recency list -------------------------------------------------------------

    def _unlink(self, node: _Node) -> None:
        """Take ``node`` out of the recency list."""
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node: _Node) -> None:
        """Link ``node`` in as the most recently used entry."""
        head = self._head
        node.prev = head
        node.next = head.next
        head.next.prev = node
        head.next = node

    def _remove(self, node: _Node) -> None:
        """Forget ``node`` entirely."""
        self._unlink(node)
        del self._nodes[node.key]

    # -- expiry -----------------------------------------------------------------------

    def _expired(self, node: _Node, now: float) -> bool:
        """Whether ``node`` has outlived the time to live at ``now``."""
        return now - node.written >= self.ttl

    def _purge(self, now: float) -> None:
        """Drop every expired entry, oldest write first."""
        writes = self._writes
        while writes:
            stamp, node = writes[0]
            current = node.stamp == stamp and self._nodes.get(node.key) is node
            if current and not self._expired(node, now):
                break
            writes.popleft()
            if current:
                self._remove(node)

    def _queue_write(self, node: _Node) -> None:
        """Queue the write just made to ``node``, compacting superseded writes now and then."""
        writes = self._writes
        writes.append((node.stamp, node))
        if len(writes) > 2 * len(self._nodes) + 64:
            # A rewritten key leaves its older write behind; keep the queue O(entries).
            self._writes = deque(
                (stamp, queued)
                for stamp, queued in writes
                if queued.stamp == stamp and self._nodes.get(queued.key) is queued
            )

    # -- the public interface ---------------------------------------------------------

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return a live entry's value (making it most recent), else ``default``."""
        node = self._nodes.get(key)
        if node is None:
            return default
        if self._expired(node, self.clock()):
            self._remove(node)
            return default
        self._unlink(node)
        self._push_front(node)
        return node.value

    def set(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``; evict expired, then least recently used, entries."""
        now = self.clock()
        self._stamp += 1
        node = self._nodes.get(key)
        if node is not None:
            node.value = value
            node.written = now
            node.stamp = self._stamp
            self._unlink(node)
        else:
            if len(self._nodes) >= self.capacity:
                self._purge(now)
            if len(self._nodes) >= self.capacity:
                self._remove(self._head.prev)
            node = _Node(key, value, now, self._stamp)
            self._nodes[key] = node
        self._push_front(node)
        self._queue_write(node)

    def __len__(self) -> int:
        """Count the live entries."""
        self._purge(self.clock())
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is live; recency is unchanged."""
        node = self._nodes.get(key)
        return node is not None and not self._expired(node, self.clock())
