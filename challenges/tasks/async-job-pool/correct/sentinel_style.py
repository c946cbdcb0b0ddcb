"""Async job pool, written as a producer loop feeding worker tasks that stop on a sentinel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

_DONE = object()  # one per worker, put after the last item: "no more work"


async def run_jobs(
    source: AsyncIterable[T],
    handler: Callable[[T], Awaitable[Any]],
    *,
    workers: int = 4,
    queue_size: int = 8,
    stop: asyncio.Event | None = None,
) -> list[Any]:
    """Handle every item of ``source``; return results (or exceptions) in source order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if queue_size < 1:
        raise ValueError(f"queue_size must be at least 1, got {queue_size}")
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=queue_size)
    outcomes: dict[int, Any] = {}

    async def worker() -> None:
        """Handle queued items until the sentinel arrives."""
        while True:
            entry = await queue.get()
            if entry is _DONE:
                return
            index, item = entry
            try:
                outcomes[index] = await handler(item)
            except Exception as exc:  # a failed job is an outcome
                outcomes[index] = exc

    def stopped() -> bool:
        """True once a graceful stop was asked for."""
        return stop is not None and stop.is_set()

    pool = [asyncio.create_task(worker()) for _ in range(workers)]
    pulled = 0
    try:
        if not stopped():
            async for item in source:
                await queue.put((pulled, item))
                pulled += 1
                if stopped():
                    break
        for _ in pool:
            await queue.put(_DONE)
        await asyncio.gather(*pool)
    except BaseException:
        for task in pool:
            task.cancel()
        await asyncio.gather(*pool, return_exceptions=True)
        raise
    return [outcomes[index] for index in range(pulled)]
