"""Hidden probes for ttl-lru-cache: they observe, the host compares with the reference."""

from __future__ import annotations

import random
from typing import Any

from probekit import probe


def builtin_name(exc: BaseException) -> str:
    """The name of the nearest built-in class of an exception."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return "Exception"


class FakeClock:
    """A clock that only moves when a probe moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        """Start at ``now`` (times are binary-exact so boundaries are exact)."""
        self.now = now

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now


def _raises_value_error(build: Any) -> str:
    """Observe whether ``build()`` raises ValueError, another error, or nothing."""
    try:
        build()
    except ValueError:
        return "ValueError"
    except Exception as exc:  # noqa: BLE001 - any other error is an observation
        return "other:" + builtin_name(exc)
    return "accepted"


def _present(cache: Any, keys: str) -> list[bool]:
    """Membership of each key (``in`` must not change recency)."""
    return [k in cache for k in keys]


@probe("rejects-capacity-below-one", weight=2)
def _(solution: Any) -> Any:
    return [
        _raises_value_error(lambda c=c: solution.TTLCache(c, 10.0, clock=FakeClock()))
        for c in (0, -1, -100)
    ]


@probe("rejects-ttl-not-positive", weight=2)
def _(solution: Any) -> Any:
    return [
        _raises_value_error(lambda t=t: solution.TTLCache(3, t, clock=FakeClock()))
        for t in (0, 0.0, -0.5, -10)
    ]


@probe("accepts-minimal-limits", weight=1)
def _(solution: Any) -> Any:
    clock = FakeClock()
    cache = solution.TTLCache(1, 0.25, clock=clock)
    cache.set("k", "v")
    first = cache.get("k")
    clock.now += 0.25
    return [first, cache.get("k"), len(cache)]


@probe("get-missing-returns-default", weight=2)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 10.0, clock=FakeClock())
    cache.set("a", 1)
    return [cache.get("x"), cache.get("x", "dflt"), cache.get("x", 0), cache.get("a", "dflt")]


@probe("stores-none-and-falsy-values", weight=1)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(4, 10.0, clock=FakeClock())
    cache.set("n", None)
    cache.set(0, 0)
    cache.set("", "")
    return [
        cache.get("n", "dflt"),
        cache.get(0, "dflt"),
        cache.get("", "dflt"),
        "n" in cache,
        len(cache),
    ]


@probe("expires-exactly-at-ttl", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(1000.0)
    cache = solution.TTLCache(3, 10.0, clock=clock)
    cache.set("a", 1)
    out: list[Any] = []
    clock.now = 1009.75
    out.append(cache.get("a", "gone"))
    clock.now = 1010.0
    out.append(cache.get("a", "gone"))
    return out


@probe("contains-respects-expiry-boundary", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(500.0)
    cache = solution.TTLCache(3, 2.5, clock=clock)
    cache.set("a", 1)
    out = ["a" in cache, "zz" in cache]
    clock.now = 502.25
    out.append("a" in cache)
    clock.now = 502.5
    out.append("a" in cache)
    return out


@probe("len-counts-live-entries", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(5, 10.0, clock=clock)
    cache.set("a", 1)
    cache.set("b", 2)
    clock.now = 4.0
    cache.set("c", 3)
    out = [len(cache)]
    clock.now = 10.0
    out.append(len(cache))
    clock.now = 13.75
    out.append(len(cache))
    clock.now = 14.0
    out.append(len(cache))
    return out


@probe("get-makes-entry-most-recent", weight=3)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 100.0, clock=FakeClock())
    cache.set("a", 1)
    cache.set("b", 2)
    cache.get("a")
    cache.set("c", 3)
    return _present(cache, "abc")


@probe("lru-order-over-a-sequence", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock()
    cache = solution.TTLCache(3, 100.0, clock=clock)
    out: list[Any] = []
    for key in "abc":
        cache.set(key, key.upper())
        clock.now += 1.0
    cache.get("a")
    cache.get("b")
    cache.set("d", "D")  # evicts c
    out.append(_present(cache, "abcd"))
    cache.get("a")
    cache.set("e", "E")  # evicts b
    out.append(_present(cache, "abcde"))
    cache.set("f", "F")  # evicts d
    out.append(_present(cache, "abcdef"))
    out.append(len(cache))
    return out


@probe("contains-does-not-change-recency", weight=3)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 100.0, clock=FakeClock())
    cache.set("a", 1)
    cache.set("b", 2)
    probe_a = "a" in cache
    cache.set("c", 3)
    return [probe_a, cache.get("a", "evicted"), cache.get("b", "evicted"), cache.get("c")]


@probe("replace-refreshes-write-time", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(3, 10.0, clock=clock)
    cache.set("a", 1)
    clock.now = 6.0
    cache.set("a", 2)
    clock.now = 12.0
    out = [cache.get("a", "gone"), len(cache)]
    clock.now = 16.0
    out.append(cache.get("a", "gone"))
    return out


@probe("replace-refreshes-recency", weight=3)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 100.0, clock=FakeClock())
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("a", 10)
    cache.set("c", 3)
    return [cache.get("a", "evicted"), cache.get("b", "evicted"), cache.get("c", "evicted")]


@probe("replace-at-capacity-evicts-nothing", weight=3)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 100.0, clock=FakeClock())
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("b", 20)
    out = [len(cache), "a" in cache, "b" in cache]
    cache.set("a", 10)
    return out + [len(cache), cache.get("a", "evicted"), cache.get("b", "evicted")]


@probe("expired-dropped-before-lru-eviction", weight=4)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(3, 10.0, clock=clock)
    cache.set("a", 1)  # written at 0
    clock.now = 5.0
    cache.set("b", 2)
    clock.now = 6.0
    cache.set("c", 3)
    clock.now = 7.0
    cache.get("a")  # "a" is now the most recent, but it was written first
    clock.now = 10.5
    cache.set("d", 4)  # "a" is expired: drop it, evict nothing live
    return [
        cache.get("b", "evicted"),
        cache.get("c", "evicted"),
        cache.get("d", "evicted"),
        len(cache),
    ]


@probe("all-expired-dropped-on-insert", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(3, 5.0, clock=clock)
    for key in "abc":
        cache.set(key, key)
        clock.now += 1.0
    clock.now = 7.5  # a (0) b (1) c (2) are all expired
    cache.set("d", "d")
    cache.set("e", "e")
    cache.set("f", "f")
    return [_present(cache, "abcdef"), len(cache)]


@probe("evicts-only-when-still-full", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(3, 10.0, clock=clock)
    cache.set("old", 0)
    clock.now = 3.0
    cache.set("x", 1)
    cache.set("y", 2)
    clock.now = 10.0  # "old" is expired; x and y are live
    cache.set("z", 3)
    cache.set("w", 4)  # full of live entries: evicts x (least recent)
    return [_present(cache, "xyzw"), "old" in cache, len(cache)]


@probe("capacity-is-exact", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock()
    cache = solution.TTLCache(4, 100.0, clock=clock)
    out: list[Any] = []
    for i in range(6):
        cache.set(i, i * i)
        out.append(len(cache))
    out.append([cache.get(i, "evicted") for i in range(6)])
    return out


@probe("capacity-one", weight=2)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(1, 100.0, clock=FakeClock())
    cache.set("a", 1)
    cache.set("a", 2)
    out = [cache.get("a"), len(cache)]
    cache.set("b", 3)
    out += [cache.get("a", "evicted"), cache.get("b"), len(cache)]
    return out


@probe("expired-get-removes-entry", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    cache = solution.TTLCache(2, 4.0, clock=clock)
    cache.set("a", 1)
    clock.now = 4.0
    out = [cache.get("a", "gone"), "a" in cache, len(cache)]
    cache.set("b", 2)
    cache.set("c", 3)
    out += [_present(cache, "abc"), len(cache)]
    return out


@probe("uses-injected-clock-on-every-call", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(10_000.0)
    cache = solution.TTLCache(8, 30.0, clock=clock)
    out: list[Any] = []
    for step in range(6):
        cache.set(step, step)
        clock.now += 10.0
        out.append(len(cache))
    out.append([cache.get(i, "gone") for i in range(6)])
    return out


@probe("default-clock-works", weight=2)
def _(solution: Any) -> Any:
    cache = solution.TTLCache(2, 3600.0)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.get("a")
    cache.set("c", 3)
    return [cache.get("a"), cache.get("b", "evicted"), "c" in cache, len(cache)]


def _workload(
    solution: Any, capacity: int, ttl: float, seed: int, mix: tuple[float, float, float]
) -> Any:
    """Run a seeded workload of 200,000 operations and return a digest of what it observed.

    ``mix`` is the cumulative share of ``set``, ``get`` and ``in``; the rest are ``len``.
    Keys come from twice ``capacity``, so the cache fills and evicts; the fake clock moves
    0.25 s per operation, so an entry outlives ``ttl / 0.25`` operations at most.
    """
    rng = random.Random(seed)
    clock = FakeClock(0.0)
    cache = solution.TTLCache(capacity, ttl, clock=clock)
    keyspace = capacity * 2
    set_below, get_below, contains_below = mix
    hits = misses = contained = 0
    value_sum = 0
    lens: list[int] = []
    for i in range(200_000):
        roll = rng.random()
        key = rng.randrange(keyspace)
        if roll < set_below:
            cache.set(key, i)
        elif roll < get_below:
            value = cache.get(key)
            if value is None:
                misses += 1
            else:
                hits += 1
                value_sum += value
        elif roll < contains_below:
            contained += key in cache
        else:
            lens.append(len(cache))
        clock.now += 0.25
    return [hits, misses, contained, value_sum % 1_000_003, sum(lens), len(cache)]


# An amortised O(1) cache runs either workload in under 0.3 s of CPU; a linear scan per
# operation (or per len) needs 20 s or more. The limit sits far from both, so that a right
# solution passes on a busy machine and a wrong one never does.
WORKLOAD_TIMEOUT = 8.0


@probe("workload-200k-mostly-live", weight=5, timeout=WORKLOAD_TIMEOUT)
def _(solution: Any) -> Any:
    # Nothing expires and there is no len: full almost all the time, so new keys evict the
    # least recently used.
    return _workload(solution, capacity=8000, ttl=1e9, seed=7, mix=(0.45, 0.85, 1.0))


@probe("workload-200k-with-expiry", weight=5, timeout=WORKLOAD_TIMEOUT)
def _(solution: Any) -> Any:
    # Entries expire after 20,000 operations: full inserts drop expired entries and evict
    # live ones, and one operation in five is len.
    return _workload(solution, capacity=6000, ttl=5000.0, seed=11, mix=(0.40, 0.70, 0.80))
