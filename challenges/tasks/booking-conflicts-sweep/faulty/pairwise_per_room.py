"""Faulty: right answers, but compares every pair of bookings within a room (quadratic)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Booking = dict[str, Any]


def _check(booking: Booking) -> None:
    """Raise ValueError when a booking is malformed."""
    start, end = booking["start"], booking["end"]
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        raise ValueError(f"booking {booking['id']!r} has an empty or invalid interval")


def find_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Group by room, then test every pair inside each room: O(n^2) for one busy room."""
    by_room: dict[Any, list[Booking]] = defaultdict(list)
    for booking in bookings:
        _check(booking)
        if booking["status"] != "cancelled":
            by_room[booking["room"]].append(booking)
    pairs = []
    for room in by_room.values():
        for i, a in enumerate(room):
            for b in room[i + 1 :]:
                if a["start"] < b["end"] and b["start"] < a["end"]:
                    x, y = a["id"], b["id"]
                    pairs.append((x, y) if x < y else (y, x))
    return sorted(pairs)
