"""Limits concurrency with a semaphore, but starts a task per item as fast as it can read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def run_jobs(
    source: AsyncIterable[T],
    handler: Callable[[T], Awaitable[Any]],
    *,
    workers: int = 4,
    queue_size: int = 8,
    stop: asyncio.Event | None = None,
) -> list[Any]:
    """Handle every item of ``source``; return results (or exceptions) in source order."""
    if workers < 1 or queue_size < 1:
        raise ValueError("workers and queue_size must be at least 1")
    limit = asyncio.Semaphore(workers)

    async def guarded(item: T) -> Any:
        """Run one job under the semaphore."""
        async with limit:
            try:
                return await handler(item)
            except Exception as exc:  # noqa: BLE001 - a failed job is an outcome
                return exc

    tasks: list[asyncio.Task[Any]] = []
    try:
        async for item in source:
            tasks.append(asyncio.create_task(guarded(item)))
            if stop is not None and stop.is_set():
                break
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
