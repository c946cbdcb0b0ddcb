"""Bounded gather, written as a pool of ``limit`` workers in an ``asyncio.TaskGroup``.

The workers share one iterator over the factories: a worker takes the next factory only when
its previous awaitable has finished, and awaits each awaitable itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sized
from typing import Any


async def _outcome(factory: Callable[[], Awaitable[Any]], timeout: float | None) -> Any:
    """Return what ``factory``'s awaitable gives, or the exception that is its result."""
    try:
        async with asyncio.timeout(timeout):
            return await factory()
    except asyncio.CancelledError as error:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # this worker is being cancelled: not a result
        return error
    except Exception as error:  # every Exception is a result
        return error


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = enumerate(factories)
    results: dict[int, Any] = {}

    async def worker() -> None:
        """Take factories one at a time until none is left."""
        for index, factory in source:
            results[index] = await _outcome(factory, timeout)

    workers = min(limit, len(factories)) if isinstance(factories, Sized) else limit
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [results[index] for index in range(len(results))]
