"""Find double-booked rooms in a calendar export."""

from __future__ import annotations

from typing import Any

Booking = dict[str, Any]


def _check(booking: Booking) -> None:
    """Raise ValueError when a booking is malformed."""
    start, end = booking["start"], booking["end"]
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        raise ValueError(f"booking {booking['id']!r} has an empty or invalid interval")


def _overlaps(a: Booking, b: Booking) -> bool:
    """True when two bookings hold the same room at the same time."""
    if a["room"] != b["room"]:
        return False
    if a["status"] == "cancelled" or b["status"] == "cancelled":
        return False
    return bool(a["start"] < b["end"] and b["start"] < a["end"])


def find_conflicts(bookings: list[Booking]) -> list[tuple[str, str]]:
    """Return every pair of conflicting booking ids, each pair sorted, the list sorted."""
    for booking in bookings:
        _check(booking)
    pairs = []
    for i in range(len(bookings)):
        for j in range(i + 1, len(bookings)):
            if _overlaps(bookings[i], bookings[j]):
                first, second = sorted((bookings[i]["id"], bookings[j]["id"]))
                pairs.append((first, second))
    return sorted(set(pairs))
