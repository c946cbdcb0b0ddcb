"""A circuit breaker that stops calling a failing service and probes it after a pause."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpenError(Exception):
    """Raised instead of calling the service while the circuit is open."""


class CircuitBreaker:
    """Open after ``failure_threshold`` consecutive failures; retry after ``reset_timeout``."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        *,
        excluded: tuple[type[BaseException], ...] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Validate the settings; the circuit starts closed."""
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_timeout <= 0:
            raise ValueError("reset_timeout must be positive")
        self._threshold = failure_threshold
        self._reset_timeout = reset_timeout
        self._excluded = excluded
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        """``closed``, ``open``, or ``half-open`` once the reset timeout has elapsed."""
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self._reset_timeout:
            return HALF_OPEN
        return OPEN

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` through the breaker and return its result."""
        state = self.state
        if state == OPEN or (state == HALF_OPEN and self._trial_running):
            raise CircuitOpenError("circuit is open")
        trial = state == HALF_OPEN
        if trial:
            self._trial_running = True
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            self._record_failure(trial)
            raise
        finally:
            if trial:
                self._trial_running = False
        self._record_success()
        return result

    def _record_failure(self, trial: bool) -> None:
        """Count a failure; open (or re-open) the circuit from now when it is due."""
        self._failures += 1
        if trial or self._failures >= self._threshold:
            self._opened_at = self._clock()

    def _record_success(self) -> None:
        """A success closes the circuit and forgets earlier failures."""
        self._failures = 0
        self._opened_at = None
