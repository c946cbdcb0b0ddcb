"""A started sandbox as the bank sees it: record golden observations, grade a source."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sandbox import Sandbox, SandboxConfig, SandboxError, docker_available
from sandbox.taskdir import TaskSpec, load_task


class SandboxUnavailableError(Exception):
    """Docker (or the runner image) cannot be reached; the message says why."""


@dataclass(frozen=True)
class GradeOutcome:
    """The parts of a sandbox result that proving a task looks at."""

    verdict: str
    score: float
    reason: str
    raw: dict[str, Any]

    def __str__(self) -> str:
        """``verdict score (reason)``."""
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.verdict} {self.score:.2f}{reason}"


@dataclass(frozen=True)
class GoldenRecord:
    """Golden observations: the sandbox object, its JSON form and the image it came from."""

    native: Any
    data: dict[str, Any]
    image: str | None


class SandboxSession:
    """A started sandbox; use as a context manager."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        """Configure from the environment (``os.environ`` by default)."""
        self.config = SandboxConfig.from_env(dict(environ if environ is not None else os.environ))
        self._sandbox: Any = None

    @property
    def workers(self) -> int:
        """How many submissions the sandbox grades at once."""
        return int(self.config.max_concurrency)

    def problem(self) -> str | None:
        """Why Docker cannot be used, or None."""
        return docker_available(self.config)

    def __enter__(self) -> SandboxSession:
        """Start the sandbox, or raise :class:`SandboxUnavailableError`."""
        problem = self.problem()
        if problem is not None:
            raise SandboxUnavailableError(problem)
        try:
            self._sandbox = Sandbox(self.config).__enter__()
        except SandboxError as exc:
            raise SandboxUnavailableError(str(exc)) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the sandbox and remove its containers."""
        if self._sandbox is not None:
            self._sandbox.__exit__(exc_type, exc, tb)
            self._sandbox = None

    def load(self, folder: Path) -> TaskSpec:
        """The sandbox's task for ``folder``."""
        return load_task(folder)

    def record_golden(self, task: TaskSpec) -> GoldenRecord:
        """Run the reference and keep its observations (as a JSON object for the DB)."""
        golden = self._sandbox.record_golden(task)
        data = json.loads(golden.to_json())
        return GoldenRecord(golden, data, str(golden.image) or None)

    def grade(self, task: TaskSpec, source: bytes, golden: GoldenRecord) -> GradeOutcome:
        """Grade ``source`` against ``golden``."""
        result = self._sandbox.grade(task, source, golden.native)
        raw = result.to_json()
        return GradeOutcome(
            verdict=str(getattr(result.verdict, "value", result.verdict)),
            score=float(result.score),
            reason=str(result.reason or ""),
            raw=dict(raw) if isinstance(raw, Mapping) else {"json": raw},
        )

    def run_samples(self, task: TaskSpec, source: bytes) -> GradeOutcome:
        """Run the task's visible sample tests on ``source`` (what the candidate's "Run
        tests" does)."""
        result = self._sandbox.run_samples(task, source)
        failed = [t.id for t in result.tests if not t.passed]
        reason = str(result.reason or "")
        if failed:
            reason = f"{reason}; failed: {', '.join(failed[:5])}".lstrip("; ")
        return GradeOutcome(
            verdict=str(getattr(result.verdict, "value", result.verdict)),
            score=float(result.score),
            reason=reason,
            raw={},
        )
