"""Weak suite: only the examples from the statement."""

from __future__ import annotations

from solution import allocate


def test_statement_examples() -> None:
    """The four examples of the statement."""
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(5, [3, 7]) == [2, 3]
    assert allocate(1000, [0, 1, 3]) == [0, 250, 750]
