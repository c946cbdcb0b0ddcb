"""Hidden probes for circuit-breaker-fix: they observe, the host compares with the reference."""

from __future__ import annotations

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

    def __init__(self, now: float = 0.0) -> None:
        """Start at ``now``."""
        self.now = now

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now


class Outage(Exception):
    """The probes' own service failure."""


class NotFound(Exception):
    """The probes' own 'normal' error, listed in ``excluded``."""


class MissingItem(NotFound):
    """A subclass of an excluded error."""


class Service:
    """A fake remote service that counts its calls and fails on demand."""

    def __init__(self) -> None:
        """No calls yet."""
        self.calls = 0

    def ok(self, value: Any = "ok") -> Any:
        """A successful call."""
        self.calls += 1
        return value

    def down(self) -> Any:
        """A failed call."""
        self.calls += 1
        raise Outage("down")

    def not_found(self) -> Any:
        """An excluded error."""
        self.calls += 1
        raise NotFound("404")


def attempt(solution: Any, breaker: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call through the breaker and describe the outcome."""
    try:
        return ["ok", breaker.call(fn, *args, **kwargs)]
    except solution.CircuitOpenError:
        return "rejected"
    except NotFound:
        return "not-found"
    except Outage:
        return "outage"
    except Exception as exc:  # noqa: BLE001 - anything else is an observation
        return "other:" + builtin_name(exc)


def _validation(solution: Any, **kwargs: Any) -> str:
    """Whether constructing with ``kwargs`` raises ValueError."""
    try:
        solution.CircuitBreaker(clock=FakeClock(), **kwargs)
    except ValueError:
        return "ValueError"
    except Exception as exc:  # noqa: BLE001
        return "other:" + builtin_name(exc)
    return "accepted"


@probe("validates-settings", weight=1)
def _(solution: Any) -> Any:
    return [
        _validation(solution, failure_threshold=0, reset_timeout=5.0),
        _validation(solution, failure_threshold=-2, reset_timeout=5.0),
        _validation(solution, failure_threshold=1, reset_timeout=0),
        _validation(solution, failure_threshold=1, reset_timeout=-1.0),
        _validation(solution, failure_threshold=1, reset_timeout=0.5),
    ]


@probe("closed-passes-arguments-and-result", weight=1)
def _(solution: Any) -> Any:
    breaker = solution.CircuitBreaker(3, 10.0, clock=FakeClock())
    out = [breaker.state, attempt(solution, breaker, lambda a, b=0: a * 10 + b, 4, b=2)]
    out.append(attempt(solution, breaker, lambda: None))
    return out + [breaker.state]


@probe("reraises-the-same-exception-object", weight=1)
def _(solution: Any) -> Any:
    breaker = solution.CircuitBreaker(5, 10.0, clock=FakeClock())
    error = Outage("boom")

    def fail() -> None:
        raise error

    try:
        breaker.call(fail)
    except Exception as exc:  # noqa: BLE001
        return [exc is error, breaker.state]
    return "no exception"


@probe("opens-at-threshold-and-stops-calling", weight=3)
def _(solution: Any) -> Any:
    service = Service()
    breaker = solution.CircuitBreaker(3, 30.0, clock=FakeClock())
    out = []
    for _ in range(5):
        out.append([attempt(solution, breaker, service.down), breaker.state, service.calls])
    out.append([attempt(solution, breaker, service.ok), service.calls])
    return out


@probe("success-resets-consecutive-failures", weight=4)
def _(solution: Any) -> Any:
    service = Service()
    breaker = solution.CircuitBreaker(3, 30.0, clock=FakeClock())
    out = []
    for step in "ddsddsdds":
        fn = service.down if step == "d" else service.ok
        out.append(attempt(solution, breaker, fn))
    out.append(breaker.state)
    for _ in range(3):
        out.append(attempt(solution, breaker, service.down))
    return out + [breaker.state, service.calls]


@probe("open-until-exact-reset-timeout", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(100.0)
    service = Service()
    breaker = solution.CircuitBreaker(1, 30.0, clock=clock)
    out = [attempt(solution, breaker, service.down)]
    for now in (100.0, 115.0, 129.75):
        clock.now = now
        out.append([breaker.state, attempt(solution, breaker, service.ok)])
    clock.now = 130.0
    out.append(breaker.state)
    out.append([attempt(solution, breaker, service.ok, "back"), breaker.state, service.calls])
    return out


@probe("opens-when-failing-call-returns", weight=1)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    breaker = solution.CircuitBreaker(1, 30.0, clock=clock)

    def slow_failure() -> None:
        clock.now += 10.0
        raise Outage("timed out")

    out = [attempt(solution, breaker, slow_failure)]
    clock.now = 35.0
    out.append(breaker.state)
    clock.now = 40.0
    out.append(breaker.state)
    return out


@probe("trial-failure-reopens-for-full-timeout", weight=4)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(2, 20.0, clock=clock)
    attempt(solution, breaker, service.down)
    attempt(solution, breaker, service.down)
    out = []
    clock.now = 25.0
    out.append([breaker.state, attempt(solution, breaker, service.down), breaker.state])
    for now in (26.0, 30.0, 44.75):
        clock.now = now
        out.append([breaker.state, attempt(solution, breaker, service.ok)])
    clock.now = 45.0
    out.append([breaker.state, attempt(solution, breaker, service.ok, "recovered")])
    return out + [breaker.state, service.calls]


@probe("trial-success-closes-and-resets-count", weight=3)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(2, 10.0, clock=clock)
    attempt(solution, breaker, service.down)
    attempt(solution, breaker, service.down)
    clock.now = 10.0
    out = [attempt(solution, breaker, service.ok, "trial"), breaker.state]
    out.append([attempt(solution, breaker, service.down), breaker.state])
    out.append([attempt(solution, breaker, service.down), breaker.state])
    return out + [service.calls]


@probe("excluded-errors-are-not-failures", weight=4)
def _(solution: Any) -> Any:
    service = Service()
    breaker = solution.CircuitBreaker(2, 30.0, excluded=(NotFound,), clock=FakeClock())
    out = []
    for _ in range(4):
        out.append(attempt(solution, breaker, service.not_found))

    def missing() -> None:
        raise MissingItem("gone")

    out.append(attempt(solution, breaker, missing))
    out.append(attempt(solution, breaker, missing))
    return out + [breaker.state, attempt(solution, breaker, service.ok), service.calls]


@probe("excluded-errors-leave-count-unchanged", weight=3)
def _(solution: Any) -> Any:
    service = Service()
    breaker = solution.CircuitBreaker(2, 30.0, excluded=(NotFound, KeyError), clock=FakeClock())
    out = [attempt(solution, breaker, service.down), attempt(solution, breaker, service.not_found)]
    out.append(breaker.state)
    out.append(attempt(solution, breaker, service.down))
    return out + [breaker.state, attempt(solution, breaker, service.ok), service.calls]


@probe("excluded-error-in-trial-keeps-half-open", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(1, 5.0, excluded=(NotFound,), clock=clock)
    attempt(solution, breaker, service.down)
    clock.now = 5.0
    out = [attempt(solution, breaker, service.not_found), breaker.state]
    out.append([attempt(solution, breaker, service.ok, "second trial"), breaker.state])
    return out + [service.calls]


@probe("half-open-allows-a-single-trial", weight=4)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(1, 5.0, clock=clock)
    attempt(solution, breaker, service.down)
    clock.now = 6.0
    seen: list[Any] = []

    def trial() -> str:
        seen.append(breaker.state)
        seen.append(attempt(solution, breaker, service.ok, "concurrent"))
        seen.append(attempt(solution, breaker, service.ok, "concurrent"))
        return "trial done"

    out = [attempt(solution, breaker, trial), seen, breaker.state, service.calls]
    out.append(attempt(solution, breaker, service.ok, "after"))
    return out


@probe("failed-trial-releases-the-trial-slot", weight=2)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(1, 5.0, clock=clock)
    attempt(solution, breaker, service.down)
    out = []
    for now in (5.0, 10.0, 15.0):
        clock.now = now
        out.append(attempt(solution, breaker, service.down))
    clock.now = 20.0
    out.append(attempt(solution, breaker, service.ok, "up"))
    return out + [breaker.state, service.calls]


@probe("state-reading-changes-nothing", weight=1)
def _(solution: Any) -> Any:
    clock = FakeClock(0.0)
    service = Service()
    breaker = solution.CircuitBreaker(1, 5.0, clock=clock)
    attempt(solution, breaker, service.down)
    clock.now = 7.0
    states = [breaker.state for _ in range(3)]
    return [states, attempt(solution, breaker, service.ok), breaker.state]


@probe("open-error-is-an-exception", weight=1)
def _(solution: Any) -> Any:
    return [
        issubclass(solution.CircuitOpenError, Exception),
        issubclass(solution.CircuitOpenError, Outage),
    ]
