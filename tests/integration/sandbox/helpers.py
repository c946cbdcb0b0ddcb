"""Shared values of the sandbox integration tests."""

from __future__ import annotations

from pathlib import Path

from sandbox import Limits, TaskSpec, load_task

TASKS = Path(__file__).parent / "tasks"
TEST_LIMITS = Limits(wall_seconds=3.0, memory_mb=128, pids=48, tmpfs_mb=8, output_kb=256)


def task(name: str) -> TaskSpec:
    """Load a fixture task with the test limits as the base."""
    return load_task(TASKS / name, base_limits=TEST_LIMITS)
