"""Process jobs from an async source with a bounded pool of workers and a bounded queue."""

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
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if queue_size < 1:
        raise ValueError("queue_size must be at least 1")
    queue: asyncio.Queue[tuple[int, T]] = asyncio.Queue(maxsize=queue_size)
    outcomes: dict[int, Any] = {}

    async def work() -> None:
        """Take jobs from the queue until cancelled."""
        while True:
            index, item = await queue.get()
            try:
                outcomes[index] = await handler(item)
            except Exception as exc:  # noqa: BLE001 - a failed job is an outcome
                outcomes[index] = exc
            finally:
                queue.task_done()

    async def produce() -> int:
        """Feed the queue until the source ends or ``stop`` is set; count the items."""
        count = 0
        iterator = aiter(source)
        while stop is None or not stop.is_set():
            try:
                item = await anext(iterator)
            except StopAsyncIteration:
                break
            await queue.put((count, item))
            count += 1
        return count

    pool = [asyncio.create_task(work())]
    try:
        count = await produce()
        await queue.join()
    finally:
        for task in pool:
            task.cancel()
        await asyncio.gather(*pool, return_exceptions=True)
    return [outcomes[index] for index in range(count)]
