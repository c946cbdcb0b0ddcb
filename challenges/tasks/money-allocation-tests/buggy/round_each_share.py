"""Buggy: rounds every share on its own, so the shares need not add up to the total."""

from __future__ import annotations

from collections.abc import Sequence


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` cents in proportion to ``weights`` with the largest-remainder method."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise ValueError("total must be an int number of cents")
    parts = list(weights)
    if not parts:
        raise ValueError("at least one weight is needed")
    for weight in parts:
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise ValueError("weights must be non-negative ints")
    whole = sum(parts)
    if whole == 0:
        raise ValueError("at least one weight must be positive")
    if total < 0:
        return [-share for share in allocate(-total, parts)]
    return [round(total * weight / whole) for weight in parts]
