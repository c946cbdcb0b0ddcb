"""Run awaitables from factories with bounded concurrency and per-awaitable timeouts.

Style: an event-driven state machine. Each awaitable runs in its own task; the tasks'
done callbacks record the outcome and refill the free slot straight away, per-call
timeouts are ``loop.call_later`` timers, and the awaiting task only sleeps on a future
until everything has settled (or handles its own cancellation).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

_PENDING = object()


async def _drive(awaitable: Awaitable[Any]) -> Any:
    """Await any awaitable (future, object with ``__await__``) inside a task."""
    return await awaitable


class _Gatherer:
    def __init__(
        self,
        factories: Iterable[Callable[[], Awaitable[Any]]],
        limit: int,
        timeout: float | None,
    ) -> None:
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        self._iterator = iter(factories)
        self._limit = limit
        self._timeout = timeout
        self._results: list[Any] = []
        # task -> (slot index, timeout timer or None)
        self._running: dict[asyncio.Task[Any], tuple[int, asyncio.TimerHandle | None]] = {}
        self._timed_out: set[asyncio.Task[Any]] = set()
        self._exhausted = False
        self._stopping = False  # no further factory is taken or called
        self._abort: BaseException | None = None
        self._wakeup: asyncio.Future[None] | None = None

    # -- slots ---------------------------------------------------------------------------

    def _start(self, awaitable: Awaitable[Any]) -> asyncio.Task[Any]:
        if asyncio.iscoroutine(awaitable):
            return self._loop.create_task(awaitable)
        return self._loop.create_task(_drive(awaitable))

    def _fill(self) -> None:
        """Take and call factories while a slot is free."""
        while not self._stopping and not self._exhausted and len(self._running) < self._limit:
            try:
                factory = next(self._iterator)
            except StopIteration:
                self._exhausted = True
                break
            except BaseException as exc:  # the iterable itself failed: stop everything
                self._stop_all(exc)
                break
            index = len(self._results)
            self._results.append(_PENDING)
            try:
                task = self._start(factory())
            except (Exception, asyncio.CancelledError) as exc:
                self._results[index] = exc  # rules 4 and 6: an outcome, no slot taken
                continue
            except BaseException as exc:  # rule 7
                self._stop_all(exc)
                break
            timer = None
            if self._timeout is not None:
                timer = self._loop.call_later(self._timeout, self._expire, task)
            self._running[task] = (index, timer)
            task.add_done_callback(self._on_done)

    def _expire(self, task: asyncio.Task[Any]) -> None:
        if not task.done():
            self._timed_out.add(task)
            task.cancel()

    def _on_done(self, task: asyncio.Task[Any]) -> None:
        index, timer = self._running.pop(task)
        if timer is not None:
            timer.cancel()
        timed_out = task in self._timed_out
        self._timed_out.discard(task)
        outcome: Any
        if task.cancelled():
            if timed_out:
                outcome = TimeoutError()
            else:
                try:
                    task.result()
                except asyncio.CancelledError as exc:
                    outcome = exc
        else:
            error = task.exception()
            if error is None:
                outcome = task.result()
            elif isinstance(error, Exception):
                outcome = error
            else:
                outcome = _PENDING
                if not self._stopping:
                    self._stop_all(error)
        if not self._stopping:
            self._results[index] = outcome
            # Reuse the slot at once, unless the awaiting task is being cancelled (then it
            # decides, in its own context, once the cancellation has been delivered).
            if self._main is None or not self._main.cancelling():
                self._fill()
        self._wake()

    def _stop_all(self, error: BaseException | None) -> None:
        if error is not None and self._abort is None and not self._stopping:
            self._abort = error
        self._stopping = True
        for task in list(self._running):
            task.cancel()
        self._wake()

    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    def _settled(self) -> bool:
        return not self._running and (self._exhausted or self._stopping)

    # -- the awaiting task -------------------------------------------------------------

    async def run(self) -> list[Any]:
        self._fill()
        try:
            while not self._settled():
                self._wakeup = self._loop.create_future()
                await self._wakeup
                self._wakeup = None
                self._fill()
        except asyncio.CancelledError:
            self._stop_all(None)
            while self._running:
                try:
                    await asyncio.wait(list(self._running))
                except asyncio.CancelledError:
                    continue  # keep waiting for the unwinding, then propagate
            raise
        if self._abort is not None:
            error, self._abort = self._abort, None
            raise error
        return self._results


async def bounded_gather(
    factories: Iterable[Callable[[], Awaitable[Any]]],
    limit: int,
    timeout: float | None = None,
) -> list[Any]:
    """Run the factories' awaitables, at most ``limit`` at once; results in input order."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return await _Gatherer(factories, limit, timeout).run()
