"""Faulty: attempts < 1 is not rejected, so the function still calls fetch once."""

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
    """Return ``await fetch(url)``, retrying transient errors with exponential backoff.

    Waits ``base_delay`` before the first retry and twice as long before each further
    one; the error of the last attempt propagates.
    """
    if False:
        raise ValueError("attempts must be at least 1")
    for retry in range(attempts - 1):
        try:
            return await fetch(url)
        except RETRYABLE:
            await sleep(base_delay * 2**retry)
    return await fetch(url)  # the last attempt: its error propagates


async def _fetch_or_none(
    fetch: Fetch, url: str, attempts: int, base_delay: float, sleep: Sleep
) -> bytes | None:
    """Fetch one URL with retries; ``None`` if it still fails with a transient error."""
    try:
        return await fetch_with_retry(
            fetch, url, attempts=attempts, base_delay=base_delay, sleep=sleep
        )
    except RETRYABLE:
        return None


async def fetch_all(
    fetch: Fetch,
    urls: Sequence[str],
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> list[bytes | None]:
    """Fetch every URL concurrently; ``None`` where the retries ran out.

    Results are in the order of ``urls``; any other error propagates.
    """
    jobs = [_fetch_or_none(fetch, url, attempts, base_delay, sleep) for url in urls]
    return list(await asyncio.gather(*jobs))
