"""Shared values of the sandbox integration tests."""

from __future__ import annotations

import json
from pathlib import Path

from sandbox import Limits, TaskSpec, load_task
from sandbox import workspace as ws

TASKS = Path(__file__).parent / "tasks"
TEST_LIMITS = Limits(wall_seconds=3.0, memory_mb=128, pids=48, tmpfs_mb=8, output_kb=256)


def task(name: str) -> TaskSpec:
    """Load a fixture task with the test limits as the base."""
    return load_task(TASKS / name, base_limits=TEST_LIMITS)


def edited(spec: TaskSpec, changes: dict[str, str]) -> bytes:
    """A project task's starter with ``changes`` (path -> text), as the editor sends it."""
    return json.dumps({"files": {**ws.parse(spec.starter), **changes}}).encode()
