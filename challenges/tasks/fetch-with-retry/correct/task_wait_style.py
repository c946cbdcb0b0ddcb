"""Retry helpers with a backoff schedule object and explicit tasks joined by ``asyncio.wait``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass

Fetch = Callable[[str], Awaitable[bytes]]
Sleep = Callable[[float], Awaitable[object]]

RETRYABLE = (ConnectionError, TimeoutError)


@dataclass(frozen=True)
class Backoff:
    """The waits between ``attempts`` calls: base, 2 * base, 4 * base, ..."""

    attempts: int
    base_delay: float

    def __post_init__(self) -> None:
        """Refuse a schedule with no call at all."""
        if self.attempts < 1:
            raise ValueError(f"attempts must be >= 1, got {self.attempts}")

    def delays(self) -> Iterator[float]:
        """One delay after every call but the last."""
        delay = self.base_delay
        for _ in range(self.attempts - 1):
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
    schedule = Backoff(attempts, base_delay)
    for delay in schedule.delays():
        try:
            return await fetch(url)
        except RETRYABLE:
            await sleep(delay)
    return await fetch(url)


async def _fetch_or_none(fetch: Fetch, url: str, backoff: Backoff, sleep: Sleep) -> bytes | None:
    """One URL's result, or None when its retries ran out."""
    try:
        return await fetch_with_retry(
            fetch, url, attempts=backoff.attempts, base_delay=backoff.base_delay, sleep=sleep
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
    """Fetch every URL concurrently; ``None`` where the retries ran out."""
    backoff = Backoff(attempts, base_delay)
    if not urls:
        return []
    tasks = [asyncio.create_task(_fetch_or_none(fetch, url, backoff, sleep)) for url in urls]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    for task in tasks:
        error = task.exception() if task in done and not task.cancelled() else None
        if error is not None:
            raise error
    return [task.result() for task in tasks]
