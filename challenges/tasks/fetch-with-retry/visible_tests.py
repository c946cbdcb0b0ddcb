"""Sample tests for the retry helpers (informative only: the hidden checks go further)."""

import asyncio

import pytest

from solution import fetch_all, fetch_with_retry


class FakeSleep:
    """Records the delays instead of waiting."""

    def __init__(self) -> None:
        """Start with no delays."""
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        """Record one delay."""
        self.delays.append(delay)


def test_retries_then_succeeds() -> None:
    """Two connection errors, then success, with doubling delays."""
    outcomes: list[object] = [ConnectionError(), ConnectionError(), b"doc"]

    async def fetch(url: str) -> bytes:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome  # type: ignore[return-value]

    sleep = FakeSleep()
    assert asyncio.run(fetch_with_retry(fetch, "u", sleep=sleep)) == b"doc"
    assert sleep.delays == pytest.approx([0.1, 0.2])


def test_other_errors_are_not_retried() -> None:
    """A ValueError propagates at once."""
    calls: list[str] = []

    async def fetch(url: str) -> bytes:
        calls.append(url)
        raise ValueError("bad request")

    with pytest.raises(ValueError):
        asyncio.run(fetch_with_retry(fetch, "u", sleep=FakeSleep()))
    assert calls == ["u"]


def test_fetch_all_keeps_order_and_gives_none_on_failure() -> None:
    """Results follow the order of the URLs; exhausted retries give None."""

    async def fetch(url: str) -> bytes:
        if url == "down":
            raise TimeoutError
        return url.encode()

    result = asyncio.run(fetch_all(fetch, ["a", "down", "b"], sleep=FakeSleep()))
    assert result == [b"a", None, b"b"]
