"""Sample tests for run_jobs (informative; the hidden probes go further)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from solution import run_jobs


async def numbers(count: int) -> AsyncIterator[int]:
    """An async source of 0..count-1."""
    for n in range(count):
        yield n


def test_outcomes_in_source_order() -> None:
    """Later items finish first, yet outcomes follow the source order."""

    async def slow_square(n: int) -> int:
        await asyncio.sleep(0.002 * (6 - n))
        return n * n

    outcomes = asyncio.run(run_jobs(numbers(6), slow_square, workers=3, queue_size=2))
    assert outcomes == [0, 1, 4, 9, 16, 25]


def test_failures_are_returned_not_raised() -> None:
    """A failing handler gives its exception as the outcome."""

    async def picky(n: int) -> int:
        if n == 1:
            raise KeyError(n)
        return n

    outcomes = asyncio.run(run_jobs(numbers(3), picky, workers=2))
    assert outcomes[0] == 0 and outcomes[2] == 2
    assert isinstance(outcomes[1], KeyError)


def test_at_most_workers_run_at_once() -> None:
    """Three workers never run more than three handlers at the same time."""
    running = 0
    peak = 0

    async def job(n: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.005)
        running -= 1

    asyncio.run(run_jobs(numbers(10), job, workers=3, queue_size=1))
    assert peak == 3
