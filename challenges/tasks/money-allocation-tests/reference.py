"""A test suite for allocate: exact splits, leftover cents, ties, signs and validation."""

from __future__ import annotations

from typing import Any

import pytest

from solution import allocate

EXAMPLES = [
    (100, [1, 1, 1], [34, 33, 33]),
    (-100, [1, 1, 1], [-34, -33, -33]),
    (5, [3, 7], [2, 3]),
    (1000, [0, 1, 3], [0, 250, 750]),
    (10, [3, 1, 3], [4, 2, 4]),
    (7, [1, 1], [4, 3]),
    (0, [2, 5], [0, 0]),
    (1, [0, 0, 4], [0, 0, 1]),
    (11, [5], [11]),
]


@pytest.mark.parametrize(("total", "weights", "expected"), EXAMPLES)
def test_known_splits(total: int, weights: list[int], expected: list[int]) -> None:
    """Hand-checked splits, including leftover cents and ties."""
    assert allocate(total, weights) == expected


def test_leftover_cent_goes_to_largest_remainder_not_first_part() -> None:
    """The leftover cent follows the largest remainder, wherever that part is."""
    assert allocate(10, [3, 1, 3]) == [4, 2, 4]
    assert allocate(8, [1, 2, 2, 2]) == [1, 3, 2, 2]


def test_leftover_cents_follow_remainders_not_weights() -> None:
    """A lighter part with a larger remainder gets the cent before a heavier one."""
    assert allocate(3, [5, 2]) == [2, 1]
    assert allocate(10, [6, 1]) == [9, 1]


def test_ties_go_to_the_lower_index() -> None:
    """Equal remainders are broken in favour of the earlier part."""
    assert allocate(5, [3, 7]) == [2, 3]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(1, [2, 2]) == [1, 0]


def _expected(total: int, weights: list[int]) -> list[int]:
    """An independent, slow model of the specification."""
    whole = sum(weights)
    sign = -1 if total < 0 else 1
    amount = abs(total)
    shares = [amount * w // whole for w in weights]
    left = amount - sum(shares)
    ranked = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % whole), i))
    for i in ranked[:left]:
        shares[i] += 1
    return [sign * s for s in shares]


CASES = [
    (total, weights)
    for total in (-1001, -7, -1, 0, 1, 2, 3, 7, 10, 99, 100, 101, 1234, 99999)
    for weights in ([1], [1, 1], [1, 2], [2, 1], [1, 1, 1], [3, 7], [0, 5, 0, 3], [7, 3, 3, 3, 1])
]


@pytest.mark.parametrize(("total", "weights"), CASES)
def test_matches_model_and_sums_exactly(total: int, weights: list[int]) -> None:
    """Every share matches the model; shares add up to the total; each is near exact."""
    shares = allocate(total, weights)
    assert type(shares) is list and all(type(s) is int for s in shares)
    assert shares == _expected(total, weights)
    assert sum(shares) == total
    whole = sum(weights)
    for share, weight in zip(shares, weights):
        assert abs(share * whole - total * weight) < whole


@pytest.mark.parametrize("total", [1, 2, 5, 100, 1001])
@pytest.mark.parametrize("weights", [[1, 1, 1], [1, 2, 2], [5, 3, 3, 1]])
def test_negative_total_mirrors_positive(total: int, weights: list[int]) -> None:
    """A refund is split exactly like the payment, with the sign flipped."""
    assert allocate(-total, weights) == [-s for s in allocate(total, weights)]


def test_zero_weight_gets_nothing() -> None:
    """A part with weight zero never receives a cent, whatever is left over."""
    for total in range(0, 50):
        shares = allocate(total, [0, 1, 1, 0, 1])
        assert shares[0] == 0 and shares[3] == 0


def test_exact_for_huge_amounts() -> None:
    """No floating point: huge amounts are split to the cent."""
    total = 10**18 + 1
    assert allocate(total, [1, 1, 1]) == [
        333333333333333334,
        333333333333333334,
        333333333333333333,
    ]
    big = 12345678901234567890123
    shares = allocate(big, [1, 2, 4])
    assert sum(shares) == big
    assert shares == _expected(big, [1, 2, 4])


def test_weights_are_not_modified() -> None:
    """The caller's list of weights is left exactly as it was."""
    weights = [2, 4, 6]
    allocate(100, weights)
    assert weights == [2, 4, 6]


def test_accepts_a_tuple_of_weights() -> None:
    """Any sequence of weights works; the result is always a new list."""
    weights = (2, 4, 6)
    assert allocate(12, weights) == [2, 4, 6]


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (100, []),
        (100, [1, -1, 2]),
        (100, [0, 0]),
        (100, [1.0, 1]),
        (100, [True, 1]),
        (10.0, [1, 1]),
        (True, [1, 1]),
        ("100", [1, 1]),
    ],
)
def test_invalid_arguments_raise_value_error(total: Any, weights: Any) -> None:
    """Invalid totals and weights are rejected with ValueError."""
    with pytest.raises(ValueError):
        allocate(total, weights)
