"""Faulty: calls every factory up front; the semaphore only guards the awaiting."""

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

    async def one(awaitable: Awaitable[Any]) -> Any:
        async with semaphore:
            try:
                return await asyncio.wait_for(awaitable, timeout)
            except asyncio.TimeoutError:
                return TimeoutError("timed out")
            except Exception as exc:  # noqa: BLE001
                return exc

    async def failed(exc: Exception) -> Any:
        return exc

    jobs = []
    for factory in factories:
        try:
            jobs.append(one(factory()))
        except Exception as exc:  # noqa: BLE001
            jobs.append(failed(exc))
    return list(await asyncio.gather(*jobs))
