"""Find double-booked rooms in a calendar export.

Style: per room, sort the live bookings by start and, for each booking, binary-search
(bisect) how many of the following bookings start before it ends: exactly those overlap
it. O(n log n) for the sorts and searches plus O(k) for the k pairs (then the sort of
the output that the result order requires).
"""

from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter
from typing import Any

Booking = dict[str, Any]


def _check(booking: Booking) -> None:
    """Raise ValueError when a booking is malformed."""
    start, end = booking["start"], booking["end"]
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        raise ValueError(f"booking {booking['id']!r} has an empty or invalid interval")


def find_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Return every pair of conflicting booking ids, each pair sorted, the list sorted."""
    for booking in bookings:
        _check(booking)

    by_room: dict[Any, list[tuple[int, int, str]]] = {}
    for booking in bookings:
        if booking["status"] == "cancelled":
            continue
        by_room.setdefault(booking["room"], []).append(
            (booking["start"], booking["end"], booking["id"])
        )

    pairs: list[tuple[str, str]] = []
    append = pairs.append
    for entries in by_room.values():
        if len(entries) < 2:
            continue
        entries.sort(key=itemgetter(0))
        starts = [entry[0] for entry in entries]
        ids = [entry[2] for entry in entries]
        for i, (_, end, ident) in enumerate(entries):
            # Later bookings start at or after this one; those starting before its end
            # overlap it (half-open intervals: starting exactly at `end` does not).
            stop = bisect_left(starts, end, i + 1)
            for other in ids[i + 1 : stop]:
                append((ident, other) if ident < other else (other, ident))
    pairs.sort()
    return pairs
