"""A circuit breaker that stops calling a failing service and probes it after a pause.

Style: an explicit internal phase (an ``Enum``) - CLOSED, OPEN or TRIAL (a half-open
circuit whose single trial call is running) - changed only inside a lock by small
transition methods. "half-open" is never stored: it is an OPEN phase whose pause has
elapsed. The lock is held only while the phase changes, never while ``fn`` runs, so a
nested call from inside the trial sees TRIAL and is refused instead of dead-locking.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from typing import Any

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpenError(Exception):
    """Raised instead of calling the service while the circuit is open."""


class _Phase(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"  # reported as half-open once the reset timeout has elapsed
    TRIAL = "trial"  # half-open, and the single trial call is running


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
        self._excluded = tuple(excluded)
        self._clock = clock
        self._lock = threading.Lock()
        self._phase = _Phase.CLOSED
        self._failures = 0
        self._opened_at = 0.0

    # -- reading ---------------------------------------------------------------------------

    def _pause_over(self) -> bool:
        return self._clock() - self._opened_at >= self._reset_timeout

    @property
    def state(self) -> str:
        """``closed``, ``open``, or ``half-open`` once the reset timeout has elapsed."""
        phase = self._phase
        if phase is _Phase.CLOSED:
            return CLOSED
        if phase is _Phase.TRIAL:
            return HALF_OPEN
        return HALF_OPEN if self._pause_over() else OPEN

    # -- transitions (all called with the lock held) ----------------------------------------

    def _admit(self) -> bool:
        """Decide whether a call may run; return True when it is the trial call."""
        if self._phase is _Phase.CLOSED:
            return False
        if self._phase is _Phase.OPEN and self._pause_over():
            self._phase = _Phase.TRIAL
            return True
        raise CircuitOpenError("circuit is open")

    def _open(self) -> None:
        self._phase = _Phase.OPEN
        self._opened_at = self._clock()

    def _record_success(self, trial: bool) -> None:
        if trial or self._phase is _Phase.CLOSED:
            self._phase = _Phase.CLOSED
            self._failures = 0

    def _record_failure(self, trial: bool) -> None:
        if trial:
            self._open()
        elif self._phase is _Phase.CLOSED:
            self._failures += 1
            if self._failures >= self._threshold:
                self._open()

    def _record_neutral(self, trial: bool) -> None:
        """An excluded (or non-``Exception``) outcome: a trial leaves the circuit half-open."""
        if trial:
            self._phase = _Phase.OPEN  # its pause is already over, so this is half-open

    # -- calling ----------------------------------------------------------------------------

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` through the breaker and return its result."""
        with self._lock:
            trial = self._admit()
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            is_failure = isinstance(exc, Exception) and not isinstance(exc, self._excluded)
            with self._lock:
                if is_failure:
                    self._record_failure(trial)
                else:
                    self._record_neutral(trial)
            raise
        with self._lock:
            self._record_success(trial)
        return result
