"""Weak suite: checks only that the shares add up to the total."""

from __future__ import annotations

import pytest

from solution import allocate


@pytest.mark.parametrize("total", [0, 1, 7, 100, 101, 9999])
@pytest.mark.parametrize("weights", [[1], [1, 1], [1, 2, 3], [3, 7], [0, 1, 1]])
def test_shares_add_up(total: int, weights: list[int]) -> None:
    """The shares always sum to the total."""
    assert sum(allocate(total, weights)) == total
