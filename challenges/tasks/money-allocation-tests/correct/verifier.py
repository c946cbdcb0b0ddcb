"""Tests for allocate.

Style: a *verifier*.  Instead of computing the expected list, ``check_split``
checks the properties that together characterise the largest-remainder result
uniquely (every share is the floor or the floor plus one cent, the shares add
up to the total, and every part that got an extra cent beats every part that
did not by (larger remainder, lower index)).  It is run on the statement's
examples, on hand-picked edge cases and on a seeded batch of generated
inputs; negative totals are checked by the mirror rule.  Validation and
argument safety have their own tests.
"""

from __future__ import annotations

import copy
import random

import pytest

from solution import allocate


def check_split(total: int, weights: list[int] | tuple[int, ...], result: object) -> None:
    """Assert that ``result`` is the specified split of ``total`` by ``weights``."""
    assert type(result) is list
    assert len(result) == len(weights)
    assert all(type(share) is int for share in result)
    assert sum(result) == total
    if total < 0:
        mirrored = allocate(-total, list(weights))
        assert result == [-share for share in mirrored]
        check_split(-total, weights, mirrored)
        return
    whole = sum(weights)
    floors = [total * w // whole for w in weights]
    extra = [share - floor for share, floor in zip(result, floors)]
    assert set(extra) <= {0, 1}, "every share is its floor or one cent more"
    key = [(-(total * w % whole), i) for i, w in enumerate(weights)]
    winners = [key[i] for i, e in enumerate(extra) if e == 1]
    losers = [key[i] for i, e in enumerate(extra) if e == 0]
    if winners and losers:
        assert max(winners) < min(losers), (
            "extra cents go to the largest remainders, lower index first"
        )
    for share, w in zip(result, weights):
        if w == 0:
            assert share == 0


# --- the statement's examples, exactly ----------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (5, [3, 7], [2, 3]),
        (1000, [0, 1, 3], [0, 250, 750]),
        (100, [1, 1], [50, 50]),
    ],
)
def test_statement_examples(total: int, weights: list[int], expected: list[int]) -> None:
    assert allocate(total, weights) == expected


# --- hand-picked edge cases, checked exactly and by the verifier -----------------------------

EDGE = [
    (0, [1], [0]),
    (0, [0, 5, 0], [0, 0, 0]),
    (7, [1], [7]),
    (-7, [1], [-7]),
    (7, [0, 1, 0], [0, 7, 0]),
    (1, [1, 1, 1], [1, 0, 0]),  # tie: lowest index wins
    (2, [1, 1, 1], [1, 1, 0]),
    (-1, [1, 1, 1], [-1, 0, 0]),  # mirrored, not "last index"
    (-2, [1, 1, 1], [-1, -1, 0]),
    (1, [1, 2], [0, 1]),  # remainders 1 and 2: index 1 wins
    (2, [1, 2], [1, 1]),  # floors 0, 1; remainders 2 > 1
    (10, [3, 3, 4], [3, 3, 4]),
    (12, [3, 3, 4], [4, 3, 5]),  # remainders 6, 6, 8 -> index 2, then 0
    (11, [3, 3, 4], [3, 3, 5]),  # remainders 3, 3, 4 -> index 2
    (100, [1, 2, 3, 4], [10, 20, 30, 40]),
    (101, [1, 2, 3, 4], [10, 20, 30, 41]),  # remainders 1, 2, 3, 4 -> the last part
    (7, [5, 1, 1], [5, 1, 1]),
    (8, [5, 1, 1], [6, 1, 1]),  # remainders 5, 1, 1 -> the big part
    (3, [2, 1, 1, 2], [1, 1, 0, 1]),  # floors 1, 0, 0, 1; remainders 0, 3, 3, 0
    (-3, [2, 1, 1, 2], [-1, -1, 0, -1]),
    (5, [1, 3], [1, 4]),  # exact 1.25, 3.75: remainder 3 beats 1
    (5, [3, 1], [4, 1]),
    (99, [1, 1, 1, 1, 1, 1, 1], [15, 14, 14, 14, 14, 14, 14]),
]


@pytest.mark.parametrize(("total", "weights", "expected"), EDGE)
def test_edge_cases(total: int, weights: list[int], expected: list[int]) -> None:
    result = allocate(total, weights)
    assert result == expected
    check_split(total, weights, result)


def test_tuple_weights_give_a_list() -> None:
    result = allocate(100, (1, 1, 1))
    assert result == [34, 33, 33]
    assert type(result) is list


# --- exact arithmetic for any size -----------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10**30 + 1, [1, 1], [5 * 10**29 + 1, 5 * 10**29]),
        (-(10**30 + 1), [1, 1], [-(5 * 10**29 + 1), -(5 * 10**29)]),
        (2**53 + 1, [1, 0], [2**53 + 1, 0]),
        (2**60 + 3, [1, 1, 2], [2**58 + 1, 2**58 + 1, 2**59 + 1]),
        (10**18, [10**18 - 1, 1], [10**18 - 1, 1]),
        (3, [10**40, 10**40, 10**40 + 1], [1, 1, 1]),
        (
            2,
            [10**40, 10**40, 10**40 + 1],
            [1, 0, 1],
        ),  # remainder of index 2 is largest, then index 0
    ],
)
def test_big_numbers_are_exact(total: int, weights: list[int], expected: list[int]) -> None:
    result = allocate(total, weights)
    assert result == expected
    check_split(total, weights, result)


# --- generated inputs through the verifier ----------------------------------------------------


def _generated() -> list[tuple[int, list[int]]]:
    rng = random.Random(1234567)
    cases = []
    for _ in range(200):
        size = rng.randint(1, 8)
        scale = rng.choice([3, 10, 1000, 10**12])
        weights = [rng.choice([0, rng.randint(0, scale)]) for _ in range(size)]
        if not any(weights):
            weights[rng.randrange(size)] = rng.randint(1, scale)
        total = rng.choice(
            [rng.randint(-50, 50), rng.randint(-(10**6), 10**6), rng.randint(-(10**25), 10**25)]
        )
        cases.append((total, weights))
    return cases


@pytest.mark.parametrize(("total", "weights"), _generated())
def test_generated_splits(total: int, weights: list[int]) -> None:
    check_split(total, weights, allocate(total, weights))


@pytest.mark.parametrize("total", range(-25, 26))
def test_every_small_total(total: int) -> None:
    for weights in ([1, 1, 1], [3, 7], [0, 2, 0, 1], [5, 5, 1, 1], [1, 2, 3, 4, 5, 6]):
        check_split(total, weights, allocate(total, weights))


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize("total", [True, False, 10.0, 0.0, -1.5])
def test_total_must_be_a_plain_int(total: object) -> None:
    with pytest.raises(ValueError):
        allocate(total, [1, 1])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "weights",
    [
        [],
        (),
        [0],
        [0, 0, 0],
        (0, 0),
        [-1, 2],
        [3, -1, 5],
        [1.0, 1],
        [1, 2.5],
        [True, 1],
        [1, False],
        [True],
    ],
)
def test_invalid_weights(weights: object) -> None:
    with pytest.raises(ValueError):
        allocate(100, weights)  # type: ignore[arg-type]


@pytest.mark.parametrize("total", [0, -100])
def test_invalid_weights_whatever_the_total(total: int) -> None:
    for weights in ([], [0, 0], [-1, 1], [True, 1], [1.0]):
        with pytest.raises(ValueError):
            allocate(total, weights)  # type: ignore[arg-type]


# --- arguments are left alone ---------------------------------------------------------------


def test_weights_are_not_modified() -> None:
    weights = [5, 0, 3, 3, 1]
    before = copy.copy(weights)
    result = allocate(1001, weights)
    assert weights == before
    assert result is not weights
    allocate(-1001, weights)
    assert weights == before


def test_result_is_a_new_list_each_time() -> None:
    weights = [1, 1]
    first = allocate(10, weights)
    second = allocate(10, weights)
    assert first == second == [5, 5]
    assert first is not second and first is not weights
    first.append(99)
    assert allocate(10, weights) == [5, 5]
    assert weights == [1, 1]
