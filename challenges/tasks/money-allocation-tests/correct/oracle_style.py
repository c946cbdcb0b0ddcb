"""Tests for allocate: an independent Fraction-based oracle checked over seeded random inputs."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from solution import allocate


def oracle(total: int, weights: list[int]) -> list[int]:
    """Largest remainder, written from the specification with exact fractions."""
    if total < 0:
        return [-share for share in oracle(-total, weights)]
    whole = sum(weights)
    exact = [Fraction(total * weight, whole) for weight in weights]
    shares = [math.floor(value) for value in exact]
    left = total - sum(shares)
    ranked = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for index in ranked[:left]:
        shares[index] += 1
    return shares


def test_oracle_matches_the_documented_examples() -> None:
    """The oracle and the implementation agree with the specification's examples."""
    examples = [
        (100, [1, 1, 1], [34, 33, 33]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (5, [3, 7], [2, 3]),
        (1000, [0, 1, 3], [0, 250, 750]),
    ]
    for total, weights, expected in examples:
        assert oracle(total, weights) == expected
        assert allocate(total, weights) == expected


def random_weights(rng: random.Random) -> list[int]:
    """A non-empty weight list with at least one positive weight, zeros and ties likely."""
    size = rng.randint(1, 7)
    weights = [rng.choice([0, 1, 1, 2, 3, 5, 10, rng.randint(0, 1000)]) for _ in range(size)]
    if not any(weights):
        weights[rng.randrange(size)] = rng.randint(1, 9)
    return weights


@pytest.mark.parametrize("seed", range(8))
def test_random_splits_match_the_oracle(seed: int) -> None:
    """Thousands of seeded cases, small and huge, positive and negative."""
    rng = random.Random(seed)
    for _ in range(400):
        weights = random_weights(rng)
        magnitude = rng.choice([10, 1000, 10**6, 10**18, 10**40])
        total = rng.randint(-magnitude, magnitude)
        snapshot = list(weights)
        shares = allocate(total, weights)
        assert shares == oracle(total, weights), (total, weights)
        assert sum(shares) == total
        assert weights == snapshot
        assert type(shares) is list and all(type(s) is int for s in shares)


def test_tiny_totals_exercise_ties() -> None:
    """Every total from -12 to 12 over weight lists full of ties."""
    for weights in ([1, 1, 1], [2, 2, 1], [1, 1, 1, 1, 1], [0, 3, 3], [4, 4, 0, 4]):
        for total in range(-12, 13):
            assert allocate(total, weights) == oracle(total, weights), (total, weights)


def test_tuple_weights_and_weight_objects_left_alone() -> None:
    """A tuple is accepted; a list with a common divisor is not rewritten."""
    assert allocate(10, (2, 2, 4)) == oracle(10, [2, 2, 4])
    weights = [4, 8, 12]
    assert allocate(7, weights) == oracle(7, [4, 8, 12])
    assert weights == [4, 8, 12]


BAD_CALLS = [
    (True, [1]),
    (False, [1]),
    (3.0, [1]),
    ("3", [1]),
    (3, []),
    (3, ()),
    (3, [0, 0]),
    (3, [2, -1]),
    (3, [1.0]),
    (3, [True, 2]),
    (3, [2, None]),
]


@pytest.mark.parametrize(("total", "weights"), BAD_CALLS)
def test_invalid_arguments_raise_value_error(total: object, weights: object) -> None:
    """Everything the specification rejects raises ValueError."""
    with pytest.raises(ValueError):
        allocate(total, weights)  # type: ignore[arg-type]
