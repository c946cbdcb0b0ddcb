"""Async job pool, written with an ``asyncio.TaskGroup`` of workers and ``Queue.join()``."""

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
        raise ValueError("workers and queue_size must both be at least 1")
    queue: asyncio.Queue[tuple[int, T]] = asyncio.Queue(maxsize=queue_size)
    outcomes: list[Any] = []

    async def work() -> None:
        """Take items from the queue forever; cancelled once the queue is drained."""
        while True:
            index, item = await queue.get()
            try:
                outcomes[index] = await handler(item)
            except Exception as exc:  # a failed job is an outcome
                outcomes[index] = exc
            finally:
                queue.task_done()

    async def produce() -> None:
        """Pull items one at a time, checking for a graceful stop before each pull."""
        items = aiter(source)
        while stop is None or not stop.is_set():
            try:
                item = await anext(items)
            except StopAsyncIteration:
                return
            outcomes.append(None)
            await queue.put((len(outcomes) - 1, item))

    failure: Exception | None = None
    async with asyncio.TaskGroup() as group:
        pool = [group.create_task(work()) for _ in range(workers)]
        try:
            await produce()
            await queue.join()
        except Exception as exc:  # the source failed: re-raised as itself, not as a group
            failure = exc
        finally:
            for task in pool:
                task.cancel()
    if failure is not None:
        raise failure
    return outcomes
