"""A circuit breaker fixed in place: one lock guards plain fields and a trial-running flag."""

from __future__ import annotations

import threading
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
        self._lock = threading.Lock()

    def _current_state(self) -> str:
        """The state as of now; the caller holds the lock."""
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self._reset_timeout:
            return HALF_OPEN
        return OPEN

    @property
    def state(self) -> str:
        """``closed``, ``open``, or ``half-open`` once the reset timeout has elapsed."""
        with self._lock:
            return self._current_state()

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` through the breaker and return its result."""
        with self._lock:
            state = self._current_state()
            if state == OPEN or (state == HALF_OPEN and self._trial_running):
                raise CircuitOpenError("circuit is open")
            trial = state == HALF_OPEN
            if trial:
                self._trial_running = True
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            failed = isinstance(exc, Exception) and not isinstance(exc, self._excluded)
            with self._lock:
                if trial:
                    self._trial_running = False
                if failed:
                    self._record_failure(trial)
            raise
        with self._lock:
            if trial:
                self._trial_running = False
                self._opened_at = None
            self._failures = 0
        return result

    def _record_failure(self, trial: bool) -> None:
        """Count a failure and open the circuit when needed; the caller holds the lock."""
        self._failures += 1
        if trial or self._failures >= self._threshold:
            self._opened_at = self._clock()
