"""Faulty: a BaseException that is not an Exception becomes a result instead of propagating."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def _run_one(awaitable: Awaitable[Any], timeout: float | None) -> Any:
    """Await one awaitable, turning an expired timeout into a TimeoutError."""
    if timeout is None:
        return await awaitable
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        raise TimeoutError(f"awaitable did not finish within {timeout} s") from None


async def _cancel_all(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until every one of them has finished."""
    pending = list(tasks)
    for task in pending:
        task.cancel()
    while pending:
        try:
            await asyncio.gather(*pending, return_exceptions=True)
        except asyncio.CancelledError:
            pass  # cancelled again while cleaning up: still wait for the children
        pending = [task for task in pending if not task.done()]


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    results: list[Any] = []
    running: dict[asyncio.Task[Any], int] = {}
    iterator = iter(factories)
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < limit:
                try:
                    factory = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                index = len(results)
                results.append(None)
                try:
                    awaitable = factory()
                except Exception as exc:  # noqa: BLE001 - the exception is the result
                    results[index] = exc
                    continue
                running[asyncio.ensure_future(_run_one(awaitable, timeout))] = index
            if not running:
                break
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = running.pop(task)
                if task.cancelled():
                    results[index] = asyncio.CancelledError()
                    continue
                exc = task.exception()
                if exc is None:
                    results[index] = task.result()
                elif isinstance(exc, BaseException):
                    results[index] = exc
                else:
                    raise exc
    except BaseException:
        await _cancel_all(running)
        raise
    return results
