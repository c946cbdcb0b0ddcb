"""Bounded gather, written with an ``asyncio.Semaphore`` and ``asyncio.timeout`` per call."""

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
        raise ValueError(f"limit must be at least 1, got {limit}")
    slots = asyncio.Semaphore(limit)
    results: list[Any] = []
    tasks: set[asyncio.Task[None]] = set()
    fatal: asyncio.Future[BaseException] = asyncio.get_running_loop().create_future()

    async def run(index: int, factory: Callable[[], Awaitable[Any]]) -> None:
        """Fill slot ``index`` with the outcome of ``factory``'s awaitable."""
        try:
            async with asyncio.timeout(timeout):
                results[index] = await factory()
        except asyncio.CancelledError as error:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # cancelled by bounded_gather itself
            results[index] = error
        except Exception as error:  # every Exception is a result
            results[index] = error
        except BaseException as error:  # handed to bounded_gather
            if not fatal.done():
                fatal.set_result(error)

    def finished(task: asyncio.Task[None]) -> None:
        """Free the slot of a finished task."""
        tasks.discard(task)
        slots.release()

    async def stop_all() -> None:
        """Cancel every running task and wait until each has finished unwinding."""
        pending = list(tasks)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)

    source = iter(factories)
    try:
        while True:
            await slots.acquire()  # a slot is free before the next factory is taken
            if fatal.done():
                break
            try:
                factory = next(source)
            except StopIteration:
                slots.release()
                break
            results.append(None)
            task = asyncio.create_task(run(len(results) - 1, factory))
            tasks.add(task)
            task.add_done_callback(finished)
        while tasks and not fatal.done():
            await asyncio.wait([*tasks, fatal], return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        await stop_all()
        raise
    if fatal.done():
        await stop_all()
        raise fatal.result()
    return results
