"""Faulty: runs the factories in batches of ``limit``, waiting for each whole batch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def _one(factory: Callable[[], Awaitable[Any]], timeout: float | None) -> Any:
    """Call one factory and await its awaitable, capturing exceptions."""
    try:
        return await asyncio.wait_for(factory(), timeout)
    except asyncio.TimeoutError:
        return TimeoutError("timed out")
    except asyncio.CancelledError:
        return asyncio.CancelledError()
    except Exception as exc:  # noqa: BLE001
        return exc


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results: list[Any] = []
    batch: list[Callable[[], Awaitable[Any]]] = []
    for factory in factories:
        batch.append(factory)
        if len(batch) == limit:
            results.extend(await asyncio.gather(*(_one(f, timeout) for f in batch)))
            batch = []
    if batch:
        results.extend(await asyncio.gather(*(_one(f, timeout) for f in batch)))
    return results
