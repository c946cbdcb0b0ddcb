"""Double-booked rooms, found per room: sort by start, keep a min-heap of running end times."""

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


def _room_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Conflicting pairs within one room: every booking still running when another starts."""
    pairs: list[tuple[str, str]] = []
    running: list[tuple[int, str]] = []  # (end, id), smallest end on top
    for booking in sorted(bookings, key=lambda b: b["start"]):
        start, ident = booking["start"], booking["id"]
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, other in running:
            pairs.append((other, ident) if other < ident else (ident, other))
        heapq.heappush(running, (booking["end"], ident))
    return pairs


def find_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Return every pair of conflicting booking ids, each pair sorted, the list sorted."""
    for booking in bookings:
        _check(booking)
    by_room: defaultdict[Any, list[Booking]] = defaultdict(list)
    for booking in bookings:
        if booking["status"] != "cancelled":
            by_room[booking["room"]].append(booking)
    pairs: list[tuple[str, str]] = []
    for room_bookings in by_room.values():
        pairs.extend(_room_conflicts(room_bookings))
    pairs.sort()
    return pairs
