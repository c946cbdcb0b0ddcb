"""Sample tests for TTLCache (informative; the hidden probes go further)."""

from __future__ import annotations

import pytest

from solution import TTLCache


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at time zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now


def test_get_returns_value_and_default() -> None:
    """A stored value comes back; a missing key gives the default."""
    cache = TTLCache(2, 10, clock=FakeClock())
    cache.set("a", 1)
    assert cache.get("a") == 1
    assert cache.get("zzz") is None
    assert cache.get("zzz", "-") == "-"


def test_least_recently_used_is_evicted() -> None:
    """A get makes an entry recent, so the other one is evicted."""
    cache = TTLCache(2, 10, clock=FakeClock())
    cache.set("a", 1)
    cache.set("b", 2)
    cache.get("a")
    cache.set("c", 3)
    assert "b" not in cache
    assert "a" in cache and "c" in cache


def test_entry_expires_at_ttl() -> None:
    """An entry is live just before ttl and expired at exactly ttl."""
    clock = FakeClock()
    cache = TTLCache(2, 10, clock=clock)
    cache.set("a", 1)
    clock.now = 9.5
    assert cache.get("a") == 1
    clock.now = 10.0
    assert cache.get("a") is None
    assert len(cache) == 0


def test_invalid_limits_are_rejected() -> None:
    """A capacity below one or a ttl that is not positive is a ValueError."""
    with pytest.raises(ValueError):
        TTLCache(0, 10)
    with pytest.raises(ValueError):
        TTLCache(1, 0)
