"""A clock for throttle tests: waits pass at once instead of in real time."""

from __future__ import annotations

import time

import pytest

from assess.services import throttle


class Clock:
    """The throttles' time, moved forward by hand."""

    def __init__(self) -> None:
        """Start at the real time."""
        self.now = time.time()

    def __call__(self) -> float:
        """The current (moved) time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        self.now += seconds


def take_over_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Put the throttles' time under the test's control (undone with the monkeypatch)."""
    moved = Clock()
    monkeypatch.setattr(throttle, "clock", moved)
    return moved
