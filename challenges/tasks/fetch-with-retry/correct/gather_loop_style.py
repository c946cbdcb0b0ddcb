"""Retry helpers written as a plain for-loop with ``asyncio.gather`` for the fan-out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

Fetch = Callable[[str], Awaitable[bytes]]
Sleep = Callable[[float], Awaitable[object]]

RETRYABLE = (ConnectionError, TimeoutError)


async def fetch_with_retry(
    fetch: Fetch,
    url: str,
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> bytes:
    """Return ``await fetch(url)``, retrying transient errors with exponential backoff."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(attempts):
        try:
            return await fetch(url)
        except RETRYABLE:
            if attempt == attempts - 1:
                raise
        await sleep(base_delay * 2**attempt)
    raise AssertionError("unreachable")


async def fetch_all(
    fetch: Fetch,
    urls: Sequence[str],
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> list[bytes | None]:
    """Fetch every URL concurrently; ``None`` where the retries ran out."""

    async def one(url: str) -> bytes | None:
        try:
            return await fetch_with_retry(
                fetch, url, attempts=attempts, base_delay=base_delay, sleep=sleep
            )
        except RETRYABLE:
            return None

    return list(await asyncio.gather(*(one(url) for url in urls)))
