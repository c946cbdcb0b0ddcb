"""Sample tests for find_conflicts (informative; the hidden probes go further)."""

from __future__ import annotations

from typing import Any

import pytest

from solution import find_conflicts


def _bk(ident: str, start: int, end: int, room: str = "A", status: str = "confirmed") -> Any:
    """Build one booking."""
    return {"id": ident, "room": room, "start": start, "end": end, "status": status}


def test_statement_example() -> None:
    """Overlapping bookings pair up; touching ones do not."""
    bookings = [_bk("b", 0, 10), _bk("a", 5, 15, status="tentative"), _bk("c", 10, 12)]
    assert find_conflicts(bookings) == [("a", "b"), ("a", "c")]


def test_cancelled_and_other_rooms_ignored() -> None:
    """Cancelled bookings and other rooms never conflict."""
    bookings = [_bk("a", 0, 10), _bk("b", 0, 10, status="cancelled"), _bk("c", 0, 10, room="B")]
    assert find_conflicts(bookings) == []


def test_long_booking_conflicts_with_every_nested_one() -> None:
    """A long booking conflicts with every booking inside it."""
    bookings = [_bk("long", 0, 100), _bk("x", 10, 20), _bk("y", 30, 40)]
    assert find_conflicts(bookings) == [("long", "x"), ("long", "y")]


def test_empty_interval_rejected() -> None:
    """A booking that ends before it starts is a ValueError."""
    with pytest.raises(ValueError):
        find_conflicts([_bk("a", 5, 5)])
