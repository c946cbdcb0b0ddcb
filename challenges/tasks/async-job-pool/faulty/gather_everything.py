"""Reads the whole source first, then runs every job at once with asyncio.gather."""

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
    items = []
    async for item in source:
        if stop is not None and stop.is_set():
            break
        items.append(item)
    return list(await asyncio.gather(*(handler(item) for item in items), return_exceptions=True))
