"""Faulty: the timeout bounds the whole batch instead of each awaitable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def _gather(factories: Iterable[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    """Bounded gather without any timeout, lazily and in input order."""
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
                results.append(None)
                try:
                    awaitable = factory()
                except Exception as exc:  # noqa: BLE001
                    results[-1] = exc
                    continue
                running[asyncio.ensure_future(awaitable)] = len(results) - 1
            if not running:
                return results
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = running.pop(task)
                if task.cancelled():
                    results[index] = asyncio.CancelledError()
                elif task.exception() is None:
                    results[index] = task.result()
                elif isinstance(task.exception(), Exception):
                    results[index] = task.exception()
                else:
                    raise task.exception()  # type: ignore[misc]
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return await asyncio.wait_for(_gather(factories, limit), timeout)
