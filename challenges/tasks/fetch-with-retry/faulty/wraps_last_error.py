"""Faulty: wraps the last error in a new RuntimeError."""

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
    """Retry with backoff; report exhaustion with a RuntimeError."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for retry in range(attempts):
        try:
            return await fetch(url)
        except RETRYABLE as exc:
            if retry == attempts - 1:
                raise RuntimeError(f"{url}: gave up after {attempts} attempts") from exc
            await sleep(base_delay * 2**retry)
    raise AssertionError("unreachable")


async def fetch_all(
    fetch: Fetch,
    urls: Sequence[str],
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> list[bytes | None]:
    """Fetch every URL concurrently; None where the retries ran out."""

    async def one(url: str) -> bytes | None:
        try:
            return await fetch_with_retry(
                fetch, url, attempts=attempts, base_delay=base_delay, sleep=sleep
            )
        except RuntimeError:
            return None

    return list(await asyncio.gather(*(one(url) for url in urls)))
