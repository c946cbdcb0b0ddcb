"""Hidden probes for find_conflicts: edge cases, then calendars large enough to time."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from probekit import probe


def bk(ident: str, room: Any, start: Any, end: Any, status: str = "confirmed") -> dict[str, Any]:
    """Build one booking."""
    return {"id": ident, "room": room, "start": start, "end": end, "status": status}


def calendar(seed: int, rooms: int, count: int, long_every: int = 0) -> list[dict[str, Any]]:
    """A deterministic calendar export: mostly short bookings, some long ones, shuffled."""
    rng = random.Random(seed)
    cursor = [0] * rooms
    out = []
    for number in range(count):
        room = rng.randrange(rooms)
        start = max(0, cursor[room] + rng.randint(-15, 40))
        length = rng.randint(10, 50)
        if long_every and number % long_every == 0:
            length = rng.randint(150, 400)
        else:
            cursor[room] = start + length
        roll = rng.random()
        status = "cancelled" if roll < 0.1 else "tentative" if roll < 0.2 else "confirmed"
        ident = f"{rng.randrange(16**6):06x}-{number}"
        out.append(bk(ident, f"room-{room:02d}", start, start + length, status))
    rng.shuffle(out)
    return out


def summary(pairs: Any) -> Any:
    """Describe a (large) result compactly: size, head, a digest of its exact repr."""
    if type(pairs) is not list:
        return ["not a list", type(pairs).__name__]
    digest = hashlib.sha256(repr(pairs).encode()).hexdigest()
    return [len(pairs), pairs[:3], digest]


def outcome(solution: Any, bookings: Any) -> Any:
    """Call find_conflicts, describing a ValueError as data."""
    try:
        return solution.find_conflicts(bookings)
    except ValueError:
        return ["raised", "ValueError"]


@probe("simple-overlap-pair-sorted-by-id", weight=2)
def _(solution: Any) -> Any:
    return solution.find_conflicts([bk("zeta", "A", 10, 20), bk("alpha", "A", 15, 25)])


@probe("touching-bookings-do-not-conflict", weight=2)
def _(solution: Any) -> Any:
    return solution.find_conflicts(
        [bk("a", "A", 0, 10), bk("b", "A", 10, 20), bk("c", "A", 20, 30), bk("d", "A", 29, 31)]
    )


@probe("other-rooms-do-not-conflict", weight=1)
def _(solution: Any) -> Any:
    return solution.find_conflicts([bk("a", "A", 0, 10), bk("b", "B", 0, 10), bk("c", 7, 5, 9)])


@probe("cancelled-bookings-ignored-tentative-counted", weight=2)
def _(solution: Any) -> Any:
    return solution.find_conflicts(
        [
            bk("a", "A", 0, 10),
            bk("b", "A", 5, 15, "cancelled"),
            bk("c", "A", 8, 12, "tentative"),
            bk("d", "A", 11, 14, "tentative"),
        ]
    )


@probe("long-booking-conflicts-with-all-nested", weight=3)
def _(solution: Any) -> Any:
    return solution.find_conflicts(
        [
            bk("long", "A", 0, 100),
            bk("n1", "A", 10, 20),
            bk("n2", "A", 30, 40),
            bk("n3", "A", 35, 45),
            bk("n4", "A", 90, 120),
            bk("after", "A", 100, 130),
        ]
    )


@probe("identical-and-same-start-intervals", weight=1)
def _(solution: Any) -> Any:
    return solution.find_conflicts(
        [bk("c", "A", 5, 9), bk("a", "A", 5, 9), bk("b", "A", 5, 6), bk("d", "A", 9, 10)]
    )


@probe("unsorted-input-and-result-types", weight=2)
def _(solution: Any) -> Any:
    pairs = solution.find_conflicts(
        [bk("k3", "R", 50, 60), bk("k1", "R", 0, 55), bk("k2", "R", 54, 70), bk("k0", "S", 1, 2)]
    )
    return [pairs, [type(pair).__name__ for pair in pairs]]


@probe("empty-and-single", weight=1)
def _(solution: Any) -> Any:
    return [solution.find_conflicts([]), solution.find_conflicts([bk("a", "A", 0, 1)])]


@probe("input-not-modified", weight=1)
def _(solution: Any) -> Any:
    bookings = [
        bk("b", "A", 5, 9),
        bk("a", "A", 0, 6, "tentative"),
        bk("c", "A", 1, 2, "cancelled"),
    ]
    before = [sorted(b.items()) for b in bookings]
    result = solution.find_conflicts(bookings)
    return [result, [sorted(b.items()) for b in bookings] == before]


@probe("invalid-intervals-rejected", weight=2)
def _(solution: Any) -> Any:
    return [
        outcome(solution, [bk("a", "A", 5, 5)]),
        outcome(solution, [bk("a", "A", 0, 3), bk("b", "A", 9, 4)]),
        outcome(solution, [bk("a", "A", 0, 3), bk("b", "A", 1.5, 4)]),
        outcome(solution, [bk("a", "A", 0, 3), bk("x", "B", 4, 2, "cancelled")]),
    ]


@probe("medium-calendar-exact", weight=2)
def _(solution: Any) -> Any:
    return solution.find_conflicts(calendar(7, rooms=3, count=60, long_every=9))


@probe("large-single-room", weight=3)
def _(solution: Any) -> Any:
    return summary(solution.find_conflicts(calendar(11, rooms=1, count=6000, long_every=40)))


@probe("large-many-rooms", weight=3)
def _(solution: Any) -> Any:
    return summary(solution.find_conflicts(calendar(23, rooms=25, count=6000, long_every=25)))
