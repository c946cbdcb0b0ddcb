"""Fetch documents from a flaky partner API with retries."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence

Fetch = Callable[[str], Awaitable[bytes]]
Sleep = Callable[[float], Awaitable[object]]

RETRYABLE = (ConnectionError, TimeoutError)


def _backoff(base_delay: float) -> Iterator[float]:
    """Yield base_delay, 2*base_delay, 4*base_delay, ... forever."""
    delay = base_delay
    while True:
        yield delay
        delay *= 2


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
    delays = _backoff(base_delay)
    last_error: BaseException | None = None
    for attempt in range(attempts):
        if attempt:
            await sleep(next(delays))
        try:
            return await fetch(url)
        except RETRYABLE as exc:
            last_error = exc
    assert last_error is not None
    raise last_error


async def fetch_all(
    fetch: Fetch,
    urls: Sequence[str],
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> list[bytes | None]:
    """Fetch every URL concurrently; ``None`` where the retries ran out."""
    results: list[bytes | None] = [None] * len(urls)

    async def one(index: int, url: str) -> None:
        try:
            results[index] = await fetch_with_retry(
                fetch, url, attempts=attempts, base_delay=base_delay, sleep=sleep
            )
        except RETRYABLE:
            results[index] = None

    try:
        async with asyncio.TaskGroup() as group:
            for index, url in enumerate(urls):
                group.create_task(one(index, url))
    except BaseExceptionGroup as group_error:
        # Surface the task's own exception, not the group wrapping it.
        raise group_error.exceptions[0] from None
    return results
