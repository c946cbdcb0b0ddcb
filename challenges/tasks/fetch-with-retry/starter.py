"""Fetch documents from a flaky partner API with retries."""

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
    raise NotImplementedError


async def fetch_all(
    fetch: Fetch,
    urls: Sequence[str],
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    sleep: Sleep = asyncio.sleep,
) -> list[bytes | None]:
    """Fetch every URL concurrently; ``None`` where the retries ran out."""
    raise NotImplementedError
