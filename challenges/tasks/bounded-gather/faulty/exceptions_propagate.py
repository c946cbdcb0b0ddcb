"""Faulty: the first exception escapes (gather without return_exceptions)."""

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
                return TimeoutError("timed out")

    return list(await asyncio.gather(*(one(f) for f in factories)))
