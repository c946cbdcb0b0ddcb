"""A circuit breaker rewritten around a State enum and a non-blocking lock as the trial slot."""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from typing import Any


class State(enum.Enum):
    """The three states of a circuit."""

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
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if not reset_timeout > 0:
            raise ValueError(f"reset_timeout must be > 0, got {reset_timeout}")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.excluded = tuple(excluded)
        self._clock = clock
        self._consecutive_failures = 0
        self._opened_at: float | None = None
        self._guard = threading.Lock()
        self._trial_slot = threading.Lock()

    def _state_now(self) -> State:
        """Compute the state from the open time and the clock."""
        if self._opened_at is None:
            return State.CLOSED
        elapsed = self._clock() - self._opened_at
        return State.HALF_OPEN if elapsed >= self.reset_timeout else State.OPEN

    @property
    def state(self) -> str:
        """``"closed"``, ``"open"`` or ``"half-open"``; reading it changes nothing."""
        with self._guard:
            return self._state_now().value

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` through the breaker and return its result."""
        with self._guard:
            state = self._state_now()
        if state is State.OPEN:
            raise CircuitOpenError("circuit is open")
        if state is State.CLOSED:
            return self._run(fn, args, kwargs, trial=False)
        if not self._trial_slot.acquire(blocking=False):
            raise CircuitOpenError("a trial call is already running")
        try:
            with self._guard:
                still_half_open = self._state_now() is State.HALF_OPEN
            if not still_half_open:
                raise CircuitOpenError("circuit is open")
            return self._run(fn, args, kwargs, trial=True)
        finally:
            self._trial_slot.release()

    def _run(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], *, trial: bool
    ) -> Any:
        """Call ``fn`` and record the outcome; exceptions propagate unchanged."""
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            if not isinstance(exc, self.excluded):
                self._on_failure(trial)
            raise
        self._on_success()
        return result

    def _on_success(self) -> None:
        """A success closes the circuit and clears the count."""
        with self._guard:
            self._consecutive_failures = 0
            self._opened_at = None

    def _on_failure(self, trial: bool) -> None:
        """Count a failure; open (again) when the threshold is reached or a trial failed."""
        with self._guard:
            self._consecutive_failures += 1
            if trial or self._consecutive_failures >= self.failure_threshold:
                self._opened_at = self._clock()
