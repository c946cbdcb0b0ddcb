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
    # TODO: a producer feeding an asyncio.Queue(maxsize=queue_size), `workers` worker
    # tasks, graceful stop, and clean cancellation. This version runs one job at a time.
    outcomes: list[Any] = []
    async for item in source:
        try:
            outcomes.append(await handler(item))
        except Exception as exc:  # noqa: BLE001 - a failed job is an outcome
            outcomes.append(exc)
    return outcomes
