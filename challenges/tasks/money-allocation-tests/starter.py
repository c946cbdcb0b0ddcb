"""Tests for allocate (write your suite here)."""

from __future__ import annotations

from solution import allocate


def test_even_split() -> None:
    """An amount that divides evenly is split evenly."""
    assert allocate(100, [1, 1]) == [50, 50]
