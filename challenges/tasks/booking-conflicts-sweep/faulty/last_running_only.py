"""Faulty: keeps only the latest-ending running booking instead of all of them."""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Any

Booking = dict[str, Any]


def _check(booking: Booking) -> None:
    """Raise ValueError when a booking is malformed."""
    start, end = booking["start"], booking["end"]
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        raise ValueError(f"booking {booking['id']!r} has an empty or invalid interval")


def find_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Return every pair of conflicting booking ids, each pair sorted, the list sorted.

    Per room, sweep the bookings in start order while a heap holds the ones still
    running; each new booking conflicts exactly with the bookings still in the heap.
    Cost: O(n log n + k) for k conflicting pairs.
    """
    by_room: dict[Any, list[tuple[int, int, str]]] = defaultdict(list)
    for booking in bookings:
        _check(booking)
        if booking["status"] != "cancelled":
            by_room[booking["room"]].append((booking["start"], booking["end"], booking["id"]))
    pairs: set[tuple[str, str]] = set()
    for intervals in by_room.values():
        intervals.sort()
        running: list[tuple[int, str]] = []
        for start, end, ident in intervals:
            while running and running[0][0] <= start:
                heapq.heappop(running)
            for _end, other in running:
                pairs.add((other, ident) if other < ident else (ident, other))
            if not running or end > max(running)[0]:
                running[:] = [(end, ident)]
    return sorted(pairs)
