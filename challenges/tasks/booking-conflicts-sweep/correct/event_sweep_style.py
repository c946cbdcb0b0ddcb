"""Double-booked rooms, found by one sweep over start/end events with a set per room."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

END, START = 0, 1  # at equal times an end is handled first, so touching bookings never meet


@dataclass(frozen=True, slots=True)
class Event:
    """A booking starting or ending in a room at a time."""

    time: int
    kind: int
    room: Any
    booking_id: str


def _validated(bookings: list[dict[str, Any]]) -> None:
    """Raise ValueError for the first booking with a non-int or empty interval."""
    for booking in bookings:
        start, end = booking["start"], booking["end"]
        if not (isinstance(start, int) and isinstance(end, int)):
            raise ValueError(f"booking {booking['id']!r}: start and end must be ints")
        if end <= start:
            raise ValueError(f"booking {booking['id']!r}: end must be after start")


def _events(bookings: list[dict[str, Any]]) -> list[Event]:
    """The start and end events of the bookings that are not cancelled, in sweep order."""
    events = []
    for booking in bookings:
        if booking["status"] == "cancelled":
            continue
        room, ident = booking["room"], booking["id"]
        events.append(Event(booking["start"], START, room, ident))
        events.append(Event(booking["end"], END, room, ident))
    events.sort(key=lambda event: (event.time, event.kind))
    return events


def find_conflicts(bookings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return every pair of conflicting booking ids, each pair sorted, the list sorted."""
    _validated(bookings)
    active: defaultdict[Any, set[str]] = defaultdict(set)
    conflicts: list[tuple[str, str]] = []
    for event in _events(bookings):
        in_room = active[event.room]
        if event.kind == END:
            in_room.discard(event.booking_id)
            continue
        ident = event.booking_id
        conflicts.extend((min(other, ident), max(other, ident)) for other in in_room)
        in_room.add(event.booking_id)
    return sorted(conflicts)
