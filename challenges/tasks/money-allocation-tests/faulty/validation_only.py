"""Weak suite: input validation plus a single even split."""

from __future__ import annotations

from typing import Any

import pytest

from solution import allocate


def test_even_split() -> None:
    """An even amount is split evenly."""
    assert allocate(90, [1, 1, 1]) == [30, 30, 30]


@pytest.mark.parametrize(
    ("total", "weights"),
    [(100, []), (100, [1, -1, 2]), (100, [0, 0]), (10.0, [1, 1]), (True, [1, 1])],
)
def test_invalid_arguments(total: Any, weights: Any) -> None:
    """Invalid arguments are rejected."""
    with pytest.raises(ValueError):
        allocate(total, weights)
