"""The sandbox: grade hostile Python in fresh, locked-down Docker containers.

No Flask here: the app calls :class:`Sandbox` and :func:`load_task`.
"""

from __future__ import annotations

from sandbox.config import Limits, SandboxConfig
from sandbox.core import Sandbox, docker_available
from sandbox.errors import (
    EngineUnavailableError,
    GoldenError,
    ImageMissingError,
    SandboxError,
    TaskFormatError,
)
from sandbox.results import Golden, RunResult, TestOutcome, Verdict
from sandbox.taskdir import TaskSpec, load_task

__all__ = [
    "EngineUnavailableError",
    "Golden",
    "GoldenError",
    "ImageMissingError",
    "Limits",
    "RunResult",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "TaskFormatError",
    "TaskSpec",
    "TestOutcome",
    "Verdict",
    "docker_available",
    "load_task",
]
