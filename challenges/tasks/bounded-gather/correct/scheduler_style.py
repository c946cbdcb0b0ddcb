"""Bounded gather, written as a scheduler loop over a task map with ``asyncio.wait``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any


async def _call(factory: Callable[[], Awaitable[Any]], timeout: float | None) -> Any:
    """Call ``factory`` and await its awaitable, cancelled after ``timeout`` seconds."""
    awaitable = factory()
    if timeout is None:
        return await awaitable
    return await asyncio.wait_for(awaitable, timeout)


async def _cancel_and_wait(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until every one of them has finished."""
    pending = list(tasks)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    for task in pending:
        if not task.cancelled():
            task.exception()  # retrieved, so asyncio does not log it as forgotten


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source: Iterator[Callable[[], Awaitable[Any]]] = iter(factories)
    results: list[Any] = []
    running: dict[asyncio.Task[Any], int] = {}
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < limit:
                try:
                    factory = next(source)
                except StopIteration:
                    exhausted = True
                    break
                running[asyncio.create_task(_call(factory, timeout))] = len(results)
                results.append(None)
            if not running:
                return results
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            fatal: BaseException | None = None
            for task in done:
                index = running.pop(task)
                if task.cancelled():
                    results[index] = asyncio.CancelledError()
                    continue
                error = task.exception()
                if error is None:
                    results[index] = task.result()
                elif isinstance(error, Exception):
                    results[index] = error
                else:
                    fatal = error
            if fatal is not None:
                await _cancel_and_wait(running)
                raise fatal
    except asyncio.CancelledError:
        await _cancel_and_wait(running)
        raise
