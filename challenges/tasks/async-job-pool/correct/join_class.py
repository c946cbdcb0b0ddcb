"""Process jobs from an async source with a bounded pool of workers and a bounded queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


class _JobPool:
    """A producer (run in the caller's task) feeding long-lived workers via queue.join()."""

    def __init__(
        self,
        handler: Callable[[Any], Awaitable[Any]],
        workers: int,
        queue_size: int,
        stop: asyncio.Event | None,
    ) -> None:
        self._handler = handler
        self._worker_count = workers
        self._queue: asyncio.Queue[tuple[int, Any]] = asyncio.Queue(maxsize=queue_size)
        self._stop = stop
        self._outcomes: dict[int, Any] = {}
        self._pulled = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def _worker(self) -> None:
        while True:
            index, item = await self._queue.get()
            try:
                self._outcomes[index] = await self._handler(item)
            except Exception as exc:  # noqa: BLE001 - a failed job is an outcome
                self._outcomes[index] = exc
            finally:
                self._queue.task_done()

    async def _produce(self, source: AsyncIterable[Any]) -> None:
        iterator = aiter(source)
        while self._stop is None or not self._stop.is_set():
            try:
                item = await anext(iterator)
            except StopAsyncIteration:
                return
            index = self._pulled
            self._pulled += 1
            await self._queue.put((index, item))

    async def _shutdown(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def run(self, source: AsyncIterable[Any]) -> list[Any]:
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(self._worker_count)]
        try:
            await self._produce(source)
            await self._queue.join()
        finally:
            # Normal end: idle workers blocked on get(); error or cancellation:
            # workers (and their handler calls) are cancelled. Either way, await them.
            await self._shutdown()
        return [self._outcomes[index] for index in range(self._pulled)]


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
    return await _JobPool(handler, workers, queue_size, stop).run(source)
