"""Sanity check that the implementation under test can be imported and called."""

from __future__ import annotations

from solution import allocate


def test_implementation_is_importable() -> None:
    """allocate is importable from solution and splits an even amount."""
    assert allocate(10, [1, 1]) == [5, 5]
