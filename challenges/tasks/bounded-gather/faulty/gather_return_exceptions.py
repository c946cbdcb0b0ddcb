"""Faulty: the usual semaphore + gather(return_exceptions=True) sketch.

Factories are called inside the semaphore, but every BaseException becomes a result and
the iterable is read up front.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(limit)

    async def one(factory: Callable[[], Awaitable[Any]]) -> Any:
        async with semaphore:
            awaitable = factory()
            try:
                return await asyncio.wait_for(awaitable, timeout)
            except asyncio.TimeoutError:
                raise TimeoutError("timed out") from None

    return list(await asyncio.gather(*(one(f) for f in factories), return_exceptions=True))
