"""Tests for allocate: hand-worked examples for every rule of the specification."""

from __future__ import annotations

import pytest

from solution import allocate


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (5, [3, 7], [2, 3]),
        (1000, [0, 1, 3], [0, 250, 750]),
        (100, [1, 1], [50, 50]),
        (7, [1], [7]),
        (0, [1, 2, 3], [0, 0, 0]),
        # W = 7: floors 1, 2, 5 (remainders 3, 6, 5); two cents go to the parts with 6 and 5.
        (10, [1, 2, 4], [1, 3, 6]),
        # W = 10: floors 0, 0, 0, 0 with remainders 1, 2, 3, 4 -> cents to the two largest.
        (2, [1, 2, 3, 4], [0, 0, 1, 1]),
        # W = 9: 8*2 = 16 -> 1 r7, 8*3 = 24 -> 2 r6, 8*4 = 32 -> 3 r5; 2 left for r7, r6.
        (8, [2, 3, 4], [2, 3, 3]),
    ],
)
def test_worked_examples(total: int, weights: list[int], expected: list[int]) -> None:
    """Shares computed by hand with the largest-remainder method."""
    assert allocate(total, weights) == expected


def test_leftover_goes_to_the_largest_remainder_not_the_largest_weight() -> None:
    """W = 10, total 7: 7*1 % 10 = 7 beats 7*6 % 10 = 2 and 7*3 % 10 = 1."""
    assert allocate(7, [1, 6, 3]) == [1, 4, 2]


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (1, [1, 1, 1], [1, 0, 0]),
        (2, [1, 1, 1], [1, 1, 0]),
        (1, [1, 1], [1, 0]),
        (1, [2, 2, 1], [1, 0, 0]),
        (3, [1, 1, 1, 1], [1, 1, 1, 0]),
    ],
)
def test_ties_go_to_the_lower_index(total: int, weights: list[int], expected: list[int]) -> None:
    """Among equal remainders the earlier part gets the cent."""
    assert allocate(total, weights) == expected


@pytest.mark.parametrize(
    ("total", "weights"),
    [(1, [1, 1, 1]), (2, [1, 1, 1]), (5, [3, 7]), (10, [1, 2, 4]), (7, [1, 6, 3]), (1, [0, 1, 1])],
)
def test_negative_totals_mirror_positive_ones(total: int, weights: list[int]) -> None:
    """allocate(-t, w) is the negated allocate(t, w), ties included."""
    assert allocate(-total, weights) == [-share for share in allocate(total, weights)]


def test_negative_ties_mirror_too() -> None:
    """-1 over three equal parts puts the cent on the first part, like +1."""
    assert allocate(-1, [1, 1, 1]) == [-1, 0, 0]
    assert allocate(-2, [1, 1, 1]) == [-1, -1, 0]


def test_zero_weight_parts_get_nothing() -> None:
    """A part with weight 0 gets 0, even when cents are left over."""
    assert allocate(1, [0, 1, 1]) == [0, 1, 0]
    assert allocate(3, [0, 0, 1]) == [0, 0, 3]
    assert allocate(-3, [2, 0, 1]) == [-2, 0, -1]


def test_shares_always_add_up() -> None:
    """A grid of totals and weights: the sum is exact and every share is within 1."""
    for total in range(-50, 51):
        for weights in ([1, 1, 1], [3, 7], [0, 1, 3], [5, 5, 5, 1], [1, 2, 3, 4, 5, 6, 7], [9]):
            shares = allocate(total, weights)
            assert sum(shares) == total
            whole = sum(weights)
            for share, weight in zip(shares, weights):
                assert abs(share * whole - total * weight) < whole


def test_huge_amounts_are_exact() -> None:
    """No floating point: amounts far beyond 2**53 split to the cent."""
    total = 10**30 + 1
    assert allocate(total, [1, 1]) == [5 * 10**29 + 1, 5 * 10**29]
    assert allocate(10**20, [1, 2]) == [33333333333333333333, 66666666666666666667]
    assert allocate(2**60 + 1, [1]) == [2**60 + 1]


def test_result_is_a_new_list_of_ints() -> None:
    """The result is a fresh list of plain ints."""
    weights = [1, 1]
    result = allocate(10, weights)
    assert type(result) is list
    assert result is not weights
    assert all(type(share) is int for share in result)


def test_tuple_weights_are_accepted() -> None:
    """Weights may be a tuple."""
    assert allocate(100, (1, 1, 1)) == [34, 33, 33]


def test_weights_are_not_modified() -> None:
    """The caller's weights stay as they were."""
    for original in ([3, 0, 7], [2, 4, 6], [10, 0, 10]):
        weights = list(original)
        allocate(-11, weights)
        allocate(11, weights)
        assert weights == original


@pytest.mark.parametrize("total", [True, False, 10.0, 1.5, "10", None])
def test_total_must_be_an_int(total: object) -> None:
    """A bool or a non-int total is a ValueError."""
    with pytest.raises(ValueError):
        allocate(total, [1, 1])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "weights",
    [[], (), [1, -1], [-1], [1.0, 1], [1, 0.5], [True, 1], [1, False], [0], [0, 0, 0], ["1"]],
)
def test_invalid_weights(weights: object) -> None:
    """Empty, negative, non-int, bool or all-zero weights are a ValueError."""
    with pytest.raises(ValueError):
        allocate(10, weights)  # type: ignore[arg-type]
