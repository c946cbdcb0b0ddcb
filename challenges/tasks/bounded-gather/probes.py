"""Hidden probes for bounded_gather: instrumented fake awaitables, observations only."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterable
from typing import Any

from probekit import probe

Factory = Callable[[], Awaitable[Any]]


class Abort(BaseException):
    """A BaseException that is not an Exception, raised by a fake awaitable."""


class Lab:
    """Fake work that records calls, concurrency, cancellation and clean-up."""

    def __init__(self) -> None:
        """Start with every counter at zero."""
        self.called: list[int] = []
        self.live = 0
        self.max_live = 0
        self.running = 0
        self.max_running = 0
        self.started: list[int] = []
        self.finished: list[int] = []
        self.cancelled: list[int] = []
        self.cleaned: list[int] = []

    def job(
        self,
        ident: int,
        steps: int = 0,
        delay: float = 0.0,
        value: Any = None,
        error: BaseException | None = None,
        cleanup: int = 3,
    ) -> Factory:
        """Return a factory whose awaitable takes ``steps`` loop turns and ``delay`` seconds."""

        def factory() -> Coroutine[Any, Any, Any]:
            self.called.append(ident)
            self.live += 1
            self.max_live = max(self.max_live, self.live)
            return self._body(ident, steps, delay, value, error, cleanup)

        return factory

    async def _body(
        self,
        ident: int,
        steps: int,
        delay: float,
        value: Any,
        error: BaseException | None,
        cleanup: int,
    ) -> Any:
        """The fake awaitable itself."""
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        self.started.append(ident)
        try:
            for _ in range(steps):
                await asyncio.sleep(0)
            if delay:
                await asyncio.sleep(delay)
            if error is not None:
                raise error
            return ident * 10 if value is None else value
        except asyncio.CancelledError:
            if error is None:
                self.cancelled.append(ident)
                for _ in range(cleanup):
                    await asyncio.sleep(0)
                self.cleaned.append(ident)
            raise
        finally:
            self.running -= 1
            self.live -= 1
            self.finished.append(ident)


def outcome(exc: BaseException) -> str:
    """Name what a bounded_gather call raised, by isinstance against known classes."""
    if isinstance(exc, Abort):
        return "Abort"
    if isinstance(exc, asyncio.CancelledError):
        return "CancelledError"
    for cls in (
        ValueError,
        TypeError,
        TimeoutError,
        KeyError,
        LookupError,
        RuntimeError,
        ZeroDivisionError,
    ):
        if isinstance(exc, cls):
            return cls.__name__
    return "other"


def slot(value: Any) -> Any:
    """Describe one result slot as plain data."""
    if isinstance(value, type):
        return ["class", value.__name__ if value.__module__ == "builtins" else "other"]
    if isinstance(value, BaseException):
        return ["error", outcome(value)]
    return value


async def call(factories: Iterable[Factory], limit: int, timeout: float | None = None) -> Any:
    """Await the candidate's bounded_gather, describing a raise as data."""
    import solution

    try:
        return await solution.bounded_gather(factories, limit, timeout)
    except BaseException as exc:  # noqa: BLE001 - the raise is the observation
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return ["raised", outcome(exc)]


GUARD_SECONDS = 1.5


def run(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run ``main`` in a fresh event loop (at most GUARD_SECONDS), describing a raise as data."""
    try:
        return asyncio.run(asyncio.wait_for(main(), GUARD_SECONDS))
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return ["escaped", outcome(exc)]


def plain(results: Any) -> Any:
    """Describe a whole result list as plain data."""
    if type(results) is not list:
        return results if isinstance(results, list) else ["not a list", type(results).__name__]
    return [slot(value) for value in results]


async def described(pending: Awaitable[Any]) -> Any:
    """Await a call and describe its results as plain data."""
    return plain(await pending)


# --------------------------------------------------------------------------- ordering


@probe("results-in-input-order", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, steps=6 - i) for i in range(6)]
    return run(lambda: described(call(factories, 3)))


@probe("results-in-input-order-limit-one", weight=1)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, steps=(i * 3) % 4, value=f"v{i}") for i in range(5)]
    return run(lambda: described(call(factories, 1)))


@probe("many-awaitables-limit-seven", weight=1)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, steps=(i * 7) % 5) for i in range(200)]

    async def main() -> Any:
        results = await call(factories, 7)
        # the bound only: how close a fast-churning run gets to it depends on scheduling
        return [results == [i * 10 for i in range(200)], lab.max_running <= 7, lab.max_live <= 7]

    return run(main)


# --------------------------------------------------------------------------- concurrency


@probe("running-never-exceeds-limit", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, steps=i % 4 + 1) for i in range(10)]

    async def main() -> Any:
        results = await call(factories, 3)
        return [plain(results), lab.max_running <= 3, lab.max_live <= 3, len(lab.called)]

    return run(main)


@probe("factory-called-only-when-slot-free", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    seen: list[int] = []

    def wrap(ident: int) -> Factory:
        inner = lab.job(ident, steps=3)

        def factory() -> Awaitable[Any]:
            seen.append(lab.live)
            return inner()

        return factory

    async def main() -> Any:
        # how many awaitables were running each time a factory was called: below the limit
        results = await call([wrap(i) for i in range(5)], 2)
        return [plain(results), max(seen)]

    return run(main)


@probe("limit-larger-than-work-runs-all-at-once", weight=1)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, steps=5) for i in range(3)]

    async def main() -> Any:
        results = await call(factories, 10)
        return [plain(results), lab.max_running]

    return run(main)


@probe("slot-reused-without-waiting-for-batch", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(0, steps=80)] + [lab.job(i, steps=1) for i in range(1, 6)]

    async def main() -> Any:
        results = await call(factories, 2)
        return [plain(results), lab.finished.index(0), lab.max_running]

    return run(main)


@probe("generator-consumed-lazily", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    ahead: list[int] = []

    def source() -> Generator[Factory, None, None]:
        for ident in range(6):
            ahead.append(ident - len(lab.finished))
            yield lab.job(ident, steps=2)

    async def main() -> Any:
        results = await call(source(), 2)
        return [plain(results), max(ahead) if ahead else None]

    return run(main)


@probe("awaitables-that-are-not-coroutines", weight=1)
def _(solution: Any) -> Any:
    class Ready:
        """A plain awaitable object that is not a coroutine."""

        def __init__(self, value: int) -> None:
            self.value = value

        def __await__(self) -> Generator[Any, None, int]:
            yield from asyncio.sleep(0).__await__()
            return self.value

    async def main() -> Any:
        loop = asyncio.get_running_loop()

        def future(value: int) -> Awaitable[Any]:
            fut = loop.create_future()
            loop.call_soon(fut.set_result, value)
            return fut

        factories = [lambda: future(1), lambda: Ready(2), lambda: asyncio.sleep(0, result=3)]
        return plain(await call(factories, 2))

    return run(main)


# --------------------------------------------------------------------------- errors


@probe("exception-object-in-its-slot", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    first = KeyError("first")
    second = ZeroDivisionError("second")
    factories = [
        lab.job(0, steps=4),
        lab.job(1, steps=1, error=first),
        lab.job(2, steps=2),
        lab.job(3, steps=0, error=second),
        lab.job(4, steps=3),
    ]

    async def main() -> Any:
        results = await call(factories, 2)
        if type(results) is not list or len(results) != 5:
            return plain(results)
        return [plain(results), results[1] is first, results[3] is second, sorted(lab.cancelled)]

    return run(main)


@probe("exception-does-not-cancel-others", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(0, error=RuntimeError("boom"))] + [lab.job(i, steps=5) for i in (1, 2)]

    async def main() -> Any:
        results = await call(factories, 3)
        return [plain(results), sorted(lab.cancelled), sorted(lab.finished)]

    return run(main)


@probe("factory-raising-when-called", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    error = RuntimeError("cannot build request")

    def broken() -> Awaitable[Any]:
        raise error

    factories = [lab.job(0, steps=2), broken, lab.job(2, steps=1), broken, lab.job(4)]

    async def main() -> Any:
        results = await call(factories, 1)
        if type(results) is not list or len(results) != 5:
            return plain(results)
        return [plain(results), results[1] is error, results[3] is error, lab.called]

    return run(main)


@probe("every-factory-raising-when-called", weight=1)
def _(solution: Any) -> Any:
    def broken() -> Awaitable[Any]:
        raise LookupError("no route")

    async def main() -> Any:
        return plain(await call([broken, broken, broken], 2, timeout=0.5))

    return run(main)


@probe("cancelled-error-from-awaitable-in-slot", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        shared: asyncio.Future[int] = loop.create_future()

        async def waits_on_shared() -> int:
            return await shared

        loop.call_later(0.01, shared.cancel)
        factories = [
            waits_on_shared,
            lab.job(1, steps=1),
            lab.job(2, error=asyncio.CancelledError()),
            lab.job(3, steps=4),
        ]
        results = await call(factories, 4)
        return [plain(results), sorted(lab.finished)]

    return run(main)


@probe("base-exception-propagates-and-cancels-others", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [
        lab.job(0, steps=60),
        lab.job(1, steps=2, error=Abort()),
        lab.job(2, steps=60),
        lab.job(3, steps=1),
        lab.job(4, steps=1),
    ]

    async def main() -> Any:
        results = await call(factories, 3)
        return [
            plain(results) if type(results) is list and len(results) == 5 else results,
            sorted(lab.cancelled),
            sorted(lab.cleaned),
            lab.called,
            lab.running,
        ]

    return run(main)


# --------------------------------------------------------------------------- timeouts


@probe("timeout-instance-in-slot-and-cancelled", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(0, delay=2.0), lab.job(1, steps=2), lab.job(2, steps=1)]

    async def main() -> Any:
        results = await call(factories, 3, timeout=0.03)
        head = results[0] if type(results) is list and results else None
        return [
            plain(results),
            isinstance(head, TimeoutError),
            isinstance(head, type),
            lab.cancelled,
            lab.cleaned,
            lab.running,
        ]

    return run(main)


@probe("timeout-excludes-time-waiting-for-slot", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    # each takes 0.15 s of a 0.25 s timeout; counting the wait for the slot makes it 0.3 s
    factories = [lab.job(0, delay=0.15), lab.job(1, delay=0.15)]
    return run(lambda: described(call(factories, 1, timeout=0.25)))


@probe("timeout-per-awaitable-not-per-batch", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [
        lab.job(0, delay=2.0),
        lab.job(1, steps=1),
        lab.job(2, delay=0.02),
        lab.job(3, steps=2),
        lab.job(4, delay=2.0),
    ]

    async def main() -> Any:
        results = await call(factories, 2, timeout=0.1)
        return [plain(results), sorted(lab.cancelled), sorted(lab.cleaned), lab.running]

    return run(main)


@probe("timeout-none-waits", weight=1)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(0, delay=0.04), lab.job(1, steps=1)]
    return run(lambda: described(call(factories, 2)))


# --------------------------------------------------------------------------- arguments


@probe("limit-zero-rejected", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()

    async def main() -> Any:
        return [await call([lab.job(0)], 0), lab.called]

    return run(main)


@probe("limit-zero-rejected-when-empty", weight=2)
def _(solution: Any) -> Any:
    async def main() -> Any:
        return [await call([], 0), await call(iter(()), -3)]

    return run(main)


@probe("empty-factories", weight=2)
def _(solution: Any) -> Any:
    async def main() -> Any:
        return [await call([], 3), await call(iter(()), 1, timeout=0.5), await call((), 2)]

    return run(main)


# --------------------------------------------------------------------------- cancellation


@probe("cancelling-gather-cancels-running", weight=3)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(i, delay=2.0) for i in range(5)]

    async def main() -> Any:
        import solution as candidate

        task = asyncio.ensure_future(candidate.bounded_gather(factories, 2))
        for _ in range(50):
            if lab.running >= 2:
                break
            await asyncio.sleep(0)
        task.cancel()
        try:
            await task
            state = "returned"
        except BaseException as exc:  # noqa: BLE001
            state = outcome(exc)
        snapshot = [state, sorted(lab.cancelled), sorted(lab.cleaned), lab.running]
        for _ in range(10):
            await asyncio.sleep(0)
        return snapshot + [lab.called]

    return run(main)


@probe("cancelling-gather-mid-run-calls-no-more-factories", weight=2)
def _(solution: Any) -> Any:
    lab = Lab()
    factories = [lab.job(0, steps=1), lab.job(1, steps=1)] + [
        lab.job(i, delay=2.0) for i in range(2, 6)
    ]

    async def main() -> Any:
        import solution as candidate

        task = asyncio.ensure_future(candidate.bounded_gather(factories, 2, timeout=5.0))
        for _ in range(100):
            if sorted(lab.started) == [0, 1, 2, 3] and lab.running == 2:
                break
            await asyncio.sleep(0)
        task.cancel()
        try:
            await task
            state = "returned"
        except BaseException as exc:  # noqa: BLE001
            state = outcome(exc)
        snapshot = [state, sorted(lab.cancelled), sorted(lab.cleaned), lab.running]
        for _ in range(10):
            await asyncio.sleep(0)
        return snapshot + [lab.called]

    return run(main)
