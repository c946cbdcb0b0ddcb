"""Proportional split of an amount in cents, computed with divmod and a heap."""

from __future__ import annotations

import heapq
from collections.abc import Iterable


def _is_plain_int(value: object) -> bool:
    """True for an ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_weights(raw: Iterable[int]) -> tuple[int, ...]:
    """Copy the weights into a tuple, rejecting anything the split cannot use."""
    copied = tuple(raw)
    if len(copied) == 0:
        raise ValueError("no weights were given")
    if not all(_is_plain_int(item) for item in copied):
        raise ValueError("every weight must be an int")
    if min(copied) < 0:
        raise ValueError("a weight is negative")
    if not any(copied):
        raise ValueError("all weights are zero")
    return copied


def allocate(total: int, weights: Iterable[int]) -> list[int]:
    """Divide ``total`` between ``weights``; leftover cents follow the largest remainders."""
    if not _is_plain_int(total):
        raise ValueError("the total must be an int")
    ws = _checked_weights(weights)
    sign = 1
    amount = total
    if amount < 0:
        sign, amount = -1, -amount
    denominator = sum(ws)
    pairs = [divmod(amount * w, denominator) for w in ws]
    result = [quotient for quotient, _ in pairs]
    spare = amount - sum(result)
    lucky = heapq.nlargest(spare, range(len(ws)), key=lambda k: (pairs[k][1], -k))
    for k in lucky:
        result[k] += 1
    if sign < 0:
        result = [-value for value in result]
    return result
