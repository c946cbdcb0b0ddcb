"""Sample tests for the circuit breaker (informative; the hidden probes go further)."""

from __future__ import annotations

import pytest

from solution import CircuitBreaker, CircuitOpenError


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at time zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now


def fail() -> None:
    """A call to a service that is down."""
    raise ConnectionError("down")


def test_opens_after_consecutive_failures() -> None:
    """Two failures in a row open a circuit whose threshold is two."""
    breaker = CircuitBreaker(2, 30, clock=FakeClock())
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(fail)
    assert breaker.state == "open"
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: "not called")


def test_success_resets_the_count() -> None:
    """Failures separated by a success do not open the circuit."""
    breaker = CircuitBreaker(2, 30, clock=FakeClock())
    with pytest.raises(ConnectionError):
        breaker.call(fail)
    assert breaker.call(lambda: "ok") == "ok"
    with pytest.raises(ConnectionError):
        breaker.call(fail)
    assert breaker.state == "closed"


def test_trial_success_closes() -> None:
    """After the reset timeout one trial call runs; its success closes the circuit."""
    clock = FakeClock()
    breaker = CircuitBreaker(1, 30, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(fail)
    clock.now = 30.0
    assert breaker.state == "half-open"
    assert breaker.call(lambda x: x * 2, 21) == 42
    assert breaker.state == "closed"
