"""Sample tests for bounded_gather (informative; the hidden probes go further)."""

from __future__ import annotations

import asyncio

import pytest

from solution import bounded_gather


async def _value(value: int, delay: float = 0.0) -> int:
    """Return ``value`` after ``delay`` seconds."""
    await asyncio.sleep(delay)
    return value


def test_results_keep_input_order() -> None:
    """Results follow the order of the factories, not the order of completion."""
    factories = [lambda: _value(1, 0.02), lambda: _value(2, 0.0), lambda: _value(3, 0.01)]
    assert asyncio.run(bounded_gather(factories, limit=3)) == [1, 2, 3]


def test_exception_goes_in_its_slot() -> None:
    """An exception is returned in its slot and the other awaitables still finish."""
    error = KeyError("missing")

    async def fail() -> int:
        raise error

    results = asyncio.run(bounded_gather([lambda: _value(1), fail, lambda: _value(3)], limit=2))
    assert results[0] == 1 and results[1] is error and results[2] == 3


def test_timeout_gives_timeout_error() -> None:
    """An awaitable that runs too long gets a TimeoutError in its slot."""
    factories = [lambda: _value(1, 1.0), lambda: _value(2)]
    results = asyncio.run(bounded_gather(factories, limit=2, timeout=0.02))
    assert isinstance(results[0], TimeoutError) and results[1] == 2


def test_limit_must_be_positive() -> None:
    """A limit below 1 is rejected."""
    with pytest.raises(ValueError):
        asyncio.run(bounded_gather([lambda: _value(1)], limit=0))
