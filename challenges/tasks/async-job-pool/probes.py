"""Hidden probes for async-job-pool: each runs asyncio.run itself and observes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from probekit import probe


class JobFailed(Exception):
    """A handler failure raised by the probes."""


class SourceBroken(Exception):
    """A source failure raised by the probes."""


class Tracker:
    """Counts pulls, starts, finishes and the peak concurrency of a run."""

    def __init__(self) -> None:
        """Nothing has happened yet."""
        self.pulled = 0
        self.started = 0
        self.finished = 0
        self.cancelled = 0
        self.running = 0
        self.peak = 0
        self.max_lag = 0
        self.calls: dict[Any, int] = {}

    async def source(
        self,
        items: list[Any],
        stop: asyncio.Event | None = None,
        stop_after: int = -1,
        fail_after: int = -1,
    ) -> AsyncIterator[Any]:
        """Yield ``items``, setting ``stop`` after ``stop_after`` or failing after ``fail_after``."""
        for position, item in enumerate(items):
            if position == fail_after:
                raise SourceBroken("broker connection lost")
            self.pulled += 1
            self.max_lag = max(self.max_lag, self.pulled - self.started)
            if position == stop_after and stop is not None:
                stop.set()
            yield item
            await asyncio.sleep(0)

    def handler(self, delay: float, fail_on: tuple[Any, ...] = ()) -> Any:
        """A handler that sleeps ``delay`` seconds and fails on some items."""

        async def handle(item: Any) -> Any:
            self.calls[item] = self.calls.get(item, 0) + 1
            self.started += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
            try:
                await asyncio.sleep(delay(item) if callable(delay) else delay)
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
            finally:
                self.running -= 1
            self.finished += 1
            if item in fail_on:
                raise JobFailed(f"job {item} failed")
            return item * 10 if isinstance(item, int) else item

        return handle


def pending_tasks() -> int:
    """Tasks other than the current one that have not finished."""
    current = asyncio.current_task()
    return sum(1 for task in asyncio.all_tasks() if task is not current and not task.done())


def describe(outcomes: Any) -> Any:
    """Outcomes as plain data: exceptions become their message."""
    if type(outcomes) is not list:
        return ["not a list", type(outcomes).__name__]
    return [["failed", str(o)] if isinstance(o, JobFailed) else o for o in outcomes]


def _arguments(solution: Any, **kwargs: Any) -> str:
    """Whether run_jobs rejects the given settings with ValueError."""

    async def main() -> str:
        tracker = Tracker()
        try:
            await solution.run_jobs(tracker.source([1, 2]), tracker.handler(0), **kwargs)
        except ValueError:
            return "ValueError"
        return "accepted"

    return asyncio.run(main())


@probe("validates-workers-and-queue-size", weight=1)
def _(solution: Any) -> Any:
    return [
        _arguments(solution, workers=0),
        _arguments(solution, workers=-3),
        _arguments(solution, queue_size=0),
        _arguments(solution, queue_size=-1),
        _arguments(solution, workers=1, queue_size=1),
    ]


@probe("outcomes-follow-source-order", weight=3)
def _(solution: Any) -> Any:
    tracker = Tracker()
    items = list(range(12))
    outcomes = asyncio.run(
        solution.run_jobs(
            tracker.source(items),
            tracker.handler(lambda n: 0.002 * (12 - n)),
            workers=4,
            queue_size=3,
        )
    )
    return describe(outcomes)


@probe("failures-are-isolated-outcomes", weight=3)
def _(solution: Any) -> Any:
    tracker = Tracker()
    outcomes = asyncio.run(
        solution.run_jobs(
            tracker.source(list(range(8))),
            tracker.handler(0.001, fail_on=(0, 3, 7)),
            workers=3,
            queue_size=2,
        )
    )
    return [describe(outcomes), tracker.finished]


@probe("falsy-results-kept", weight=1)
def _(solution: Any) -> Any:
    async def echo(item: Any) -> Any:
        await asyncio.sleep(0)
        return item

    async def source() -> AsyncIterator[Any]:
        for item in [0, None, "", False, [], "x"]:
            yield item

    return asyncio.run(solution.run_jobs(source(), echo, workers=2, queue_size=1))


@probe("each-item-handled-exactly-once", weight=2)
def _(solution: Any) -> Any:
    tracker = Tracker()
    asyncio.run(
        solution.run_jobs(
            tracker.source(list(range(40))), tracker.handler(0.0005), workers=5, queue_size=2
        )
    )
    return [sorted(tracker.calls.items()), tracker.pulled]


@probe("concurrency-capped-at-workers", weight=4)
def _(solution: Any) -> Any:
    out = []
    for workers, items in ((3, 12), (1, 5), (6, 20)):
        tracker = Tracker()
        asyncio.run(
            solution.run_jobs(
                tracker.source(list(range(items))),
                tracker.handler(0.02),
                workers=workers,
                queue_size=2,
            )
        )
        out.append([workers, tracker.peak])
    return out


@probe("fewer-items-than-workers", weight=1)
def _(solution: Any) -> Any:
    tracker = Tracker()
    outcomes = asyncio.run(
        solution.run_jobs(tracker.source([1, 2, 3]), tracker.handler(0.02), workers=10)
    )
    return [describe(outcomes), tracker.peak]


@probe("producer-respects-backpressure", weight=4)
def _(solution: Any) -> Any:
    out = []
    for workers, queue_size in ((2, 1), (2, 3), (1, 2)):
        tracker = Tracker()
        asyncio.run(
            solution.run_jobs(
                tracker.source(list(range(30))),
                tracker.handler(0.002),
                workers=workers,
                queue_size=queue_size,
            )
        )
        out.append([queue_size, tracker.max_lag <= queue_size + 1, tracker.pulled])
    return out


@probe("empty-source", weight=1)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        outcomes = await solution.run_jobs(tracker.source([]), tracker.handler(0), workers=3)
        return [outcomes, pending_tasks()]

    return asyncio.run(main())


@probe("stop-set-before-start-pulls-nothing", weight=2)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        stop = asyncio.Event()
        stop.set()
        outcomes = await solution.run_jobs(
            tracker.source(list(range(5))), tracker.handler(0), workers=2, stop=stop
        )
        return [describe(outcomes), tracker.pulled, tracker.started, pending_tasks()]

    return asyncio.run(main())


@probe("stop-drains-pulled-items-and-pulls-no-more", weight=4)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        stop = asyncio.Event()
        outcomes = await solution.run_jobs(
            tracker.source(list(range(50)), stop=stop, stop_after=6),
            tracker.handler(0.003),
            workers=2,
            queue_size=4,
            stop=stop,
        )
        return [describe(outcomes), tracker.pulled, tracker.finished, pending_tasks()]

    return asyncio.run(main())


@probe("stop-set-by-a-handler", weight=3)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        stop = asyncio.Event()
        inner = tracker.handler(0.002)

        async def handle(item: int) -> Any:
            if item == 10:
                stop.set()
            return await inner(item)

        outcomes = await solution.run_jobs(
            tracker.source(list(range(100))), handle, workers=3, queue_size=2, stop=stop
        )
        pulled = tracker.pulled
        return [
            type(outcomes) is list and len(outcomes) == pulled,
            describe(outcomes)[:11],
            tracker.finished == pulled,
            pulled < 100,
            pending_tasks(),
        ]

    return asyncio.run(main())


@probe("source-failure-propagates-and-cancels", weight=4)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        try:
            await solution.run_jobs(
                tracker.source(list(range(10)), fail_after=4),
                tracker.handler(0.05),
                workers=2,
                queue_size=8,
            )
        except SourceBroken:
            raised = "SourceBroken"
        except Exception as exc:  # noqa: BLE001
            raised = "other:" + type(exc).__name__
        else:
            raised = "nothing"
        left = pending_tasks()
        finished = tracker.finished
        await asyncio.sleep(0.08)
        return [raised, left, tracker.finished - finished, tracker.running]

    return asyncio.run(main())


@probe("cancellation-cleans-up", weight=4)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        job = asyncio.create_task(
            solution.run_jobs(
                tracker.source(list(range(20))), tracker.handler(0.3), workers=3, queue_size=2
            )
        )
        # cancel once the workers are busy (a few more loop turns for any extra worker),
        # long before the first handler can finish, however loaded the machine is
        deadline = loop.time() + 0.25
        while tracker.started < 3 and loop.time() < deadline:
            await asyncio.sleep(0)
        for _ in range(5):
            await asyncio.sleep(0)
        started = tracker.started
        job.cancel()
        try:
            await job
        except asyncio.CancelledError:
            outcome = "cancelled"
        else:
            outcome = "finished"
        left = pending_tasks()
        await asyncio.sleep(0.35)
        return [outcome, started, left, tracker.cancelled, tracker.finished, tracker.running]

    return asyncio.run(main())


@probe("no-task-left-after-normal-run", weight=2)
def _(solution: Any) -> Any:
    tracker = Tracker()

    async def main() -> Any:
        outcomes = await solution.run_jobs(
            tracker.source(list(range(9))),
            tracker.handler(0.001, fail_on=(4,)),
            workers=4,
            queue_size=1,
        )
        return [len(outcomes), pending_tasks()]

    return asyncio.run(main())


@probe("many-quick-jobs", weight=2)
def _(solution: Any) -> Any:
    tracker = Tracker()
    outcomes = asyncio.run(
        solution.run_jobs(
            tracker.source(list(range(3000))), tracker.handler(0), workers=8, queue_size=16
        )
    )
    if type(outcomes) is not list:
        return "not a list"
    return [len(outcomes), sum(outcomes), outcomes[:3], outcomes[-3:], tracker.finished]
