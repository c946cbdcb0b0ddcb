"""Largest-remainder money allocation built from small per-part records."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter


class _Slot:
    """One recipient: its guaranteed cents and what was cut off when flooring."""

    __slots__ = ("cents", "leftover")

    def __init__(self, cents: int, leftover: int) -> None:
        """Remember the floored share and the remainder of the division."""
        self.cents = cents
        self.leftover = leftover


def _bad_number(x: object) -> bool:
    """Whether ``x`` is unusable as a count of cents or as a weight."""
    return type(x) is bool or not isinstance(x, int)


def _split_non_negative(amount: int, weights: list[int], weight_sum: int) -> list[int]:
    """Split an amount ``>= 0``: floors first, then one cent per largest leftover."""
    slots = []
    for w in weights:
        base, cut = divmod(amount * w, weight_sum)
        slots.append(_Slot(base, cut))
    missing = amount
    for slot in slots:
        missing -= slot.cents
    # A stable sort keeps equal leftovers in index order, also when reversed.
    for slot in sorted(slots, key=attrgetter("leftover"), reverse=True)[:missing]:
        slot.cents += 1
    return [slot.cents for slot in slots]


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Return one share per weight; the shares sum to ``total`` exactly."""
    if _bad_number(total):
        raise ValueError("total: expected an integer amount of cents")
    weight_list = [w for w in weights]
    for w in weight_list:
        if _bad_number(w):
            raise ValueError("weights: expected integers")
        if w < 0:
            raise ValueError("weights: negative values are not allowed")
    if not weight_list:
        raise ValueError("weights: empty")
    weight_sum = 0
    for w in weight_list:
        weight_sum += w
    if weight_sum <= 0:
        raise ValueError("weights: none is positive")
    if total >= 0:
        return _split_non_negative(total, weight_list, weight_sum)
    flipped = _split_non_negative(-total, weight_list, weight_sum)
    return [0 - share for share in flipped]
