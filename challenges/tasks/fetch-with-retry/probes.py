"""Hidden probes for fetch-with-retry: fake fetch and sleep, observed calls and delays."""

from __future__ import annotations

import asyncio
from typing import Any

from probekit import probe


class FakeServer:
    """A scripted fetch: each URL yields its outcomes in turn (the last one repeats).

    An outcome is bytes (returned) or an exception class (a new instance is raised,
    with the message ``"<url> #<call number>"``). ``hops`` is how many times a call
    yields to the event loop before it finishes.
    """

    def __init__(self, script: dict[str, list[Any]], hops: dict[str, int] | None = None) -> None:
        """Keep the script; start with empty logs."""
        self.script = {url: list(outcomes) for url, outcomes in script.items()}
        self.hops = hops or {}
        self.calls: list[str] = []
        self.raised: list[BaseException] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def fetch(self, url: str) -> bytes:
        """Play the next outcome for ``url``."""
        self.calls.append(url)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            for _ in range(self.hops.get(url, 1)):
                await asyncio.sleep(0)
            outcomes = self.script[url]
            outcome = outcomes.pop(0) if len(outcomes) > 1 else outcomes[0]
            if isinstance(outcome, bytes):
                return outcome
            error = outcome(f"{url} #{self.calls.count(url)}")
            self.raised.append(error)
            raise error
        finally:
            self.in_flight -= 1


class FakeSleep:
    """Records requested delays and yields once instead of waiting."""

    def __init__(self) -> None:
        """Start with no delays."""
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        """Record one delay."""
        self.delays.append(round(delay, 6))
        await asyncio.sleep(0)


def _error(exc: BaseException) -> str:
    """Name an exception by the built-in family it belongs to (never by its own name)."""
    for family in (ConnectionResetError, ConnectionError, TimeoutError, ValueError):
        if isinstance(exc, family):
            return family.__name__
    return "other"


def _one(solution: Any, server: FakeServer, url: str, **options: Any) -> Any:
    """Run fetch_with_retry once; observe result or error, calls and delays."""
    sleep = FakeSleep()
    try:
        result: Any = asyncio.run(
            solution.fetch_with_retry(server.fetch, url, sleep=sleep, **options)
        )
    except Exception as exc:  # noqa: BLE001 - the error is the observation
        result = {
            "error": _error(exc),
            "last-error-object": bool(server.raised) and exc is server.raised[-1],
        }
    return {"result": result, "calls": server.calls, "delays": sleep.delays}


def _all(solution: Any, server: FakeServer, urls: list[str], **options: Any) -> Any:
    """Run fetch_all once; observe results, calls, sorted delays and peak concurrency."""
    sleep = FakeSleep()
    try:
        result: Any = asyncio.run(solution.fetch_all(server.fetch, urls, sleep=sleep, **options))
    except Exception as exc:  # noqa: BLE001 - the error is the observation
        result = {"error": _error(exc)}
    return {
        "result": result,
        "calls": sorted(server.calls),
        "delays": sorted(sleep.delays),
        "max-in-flight": server.max_in_flight,
    }


@probe("success-first-try", weight=2)
def _first(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [b"doc"]}), "u")


@probe("retries-then-succeeds", weight=3)
def _retry(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [ConnectionError, TimeoutError, b"doc"]}), "u")


@probe("exhausted-reraises-last-error", weight=3)
def _exhausted(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [TimeoutError]}), "u")


@probe("subclass-is-retryable", weight=1)
def _subclass(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [ConnectionResetError, b"doc"]}), "u")


@probe("other-errors-not-retried", weight=3)
def _other(solution: Any) -> Any:
    return [
        _one(solution, FakeServer({"u": [ValueError, b"doc"]}), "u"),
        _one(solution, FakeServer({"u": [ConnectionError, PermissionError, b"doc"]}), "u"),
    ]


@probe("custom-attempts-and-delay", weight=2)
def _custom(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [ConnectionError]}), "u", attempts=5, base_delay=0.5)


@probe("single-attempt-no-retry", weight=1)
def _single(solution: Any) -> Any:
    return _one(solution, FakeServer({"u": [ConnectionError, b"doc"]}), "u", attempts=1)


@probe("success-on-last-attempt", weight=1)
def _last(solution: Any) -> Any:
    return _one(
        solution,
        FakeServer({"u": [TimeoutError, TimeoutError, TimeoutError, b"doc"]}),
        "u",
        attempts=4,
    )


@probe("attempts-below-one-rejected", weight=1)
def _zero(solution: Any) -> Any:
    return [
        _one(solution, FakeServer({"u": [b"doc"]}), "u", attempts=0),
        _one(solution, FakeServer({"u": [b"doc"]}), "u", attempts=-2),
    ]


@probe("default-sleep-waits-for-real", weight=1)
def _default_sleep(solution: Any) -> Any:
    server = FakeServer({"u": [ConnectionError, b"doc"]})
    result = asyncio.run(solution.fetch_with_retry(server.fetch, "u", base_delay=0.01))
    return [result, server.calls]


@probe("fetch-all-order-of-urls", weight=3)
def _order(solution: Any) -> Any:
    server = FakeServer({"a": [b"A"], "b": [b"B"], "c": [b"C"]}, hops={"a": 5, "b": 1, "c": 3})
    return _all(solution, server, ["a", "b", "c"])


@probe("fetch-all-runs-concurrently", weight=3)
def _concurrent(solution: Any) -> Any:
    urls = [f"doc{i}" for i in range(6)]
    server = FakeServer({url: [url.encode()] for url in urls}, hops={url: 3 for url in urls})
    return _all(solution, server, urls)


@probe("fetch-all-none-when-retries-run-out", weight=3)
def _none(solution: Any) -> Any:
    server = FakeServer(
        {"ok": [b"fine"], "down": [ConnectionError], "flaky": [TimeoutError, b"late"]}
    )
    return _all(solution, server, ["down", "ok", "flaky"])


@probe("fetch-all-passes-options-on", weight=2)
def _options(solution: Any) -> Any:
    server = FakeServer({"x": [TimeoutError], "y": [ConnectionError, b"y"]})
    return _all(solution, server, ["x", "y"], attempts=4, base_delay=0.25)


@probe("fetch-all-other-error-propagates", weight=2)
def _propagates(solution: Any) -> Any:
    server = FakeServer({"ok": [b"fine"], "bad": [ValueError]})
    observed = _all(solution, server, ["ok", "bad"])
    return [observed["result"], observed["calls"]]


@probe("fetch-all-empty-and-duplicates", weight=1)
def _empty(solution: Any) -> Any:
    server = FakeServer({"a": [b"A"]})
    return [_all(solution, FakeServer({}), []), _all(solution, server, ["a", "a"])]
