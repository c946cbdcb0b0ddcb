"""Typed results: verdicts, per-probe outcomes, run results, golden observations."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """The outcome of one run."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    REJECTED = "rejected"
    INVALID_REPORT = "invalid_report"


@dataclass(frozen=True)
class TestOutcome:
    """One probe's or one visible test's outcome, safe to show the candidate."""

    __test__ = False  # not a pytest test class

    id: str
    passed: bool
    message: str
    weight: float = 1.0
    stdout: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class RunResult:
    """The typed result of grading (or sample-testing) one submission."""

    task: str
    verdict: Verdict
    score: float
    tests: tuple[TestOutcome, ...] = ()
    reason: str = ""
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    cpu_s: float | None = None
    peak_memory_mb: float | None = None
    flags: tuple[str, ...] = ()
    kind: str = "grade"

    @property
    def passed(self) -> bool:
        """Whether the verdict is a pass."""
        return self.verdict is Verdict.PASSED

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with every field (the CLI's ``--json`` output)."""
        return {
            "task": self.task,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "score": round(self.score, 4),
            "reason": self.reason,
            "tests": [t.to_json() for t in self.tests],
            "duration_s": round(self.duration_s, 4),
            "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 4),
            "peak_memory_mb": None
            if self.peak_memory_mb is None
            else round(self.peak_memory_mb, 1),
            "stdout": self.stdout,
            "stderr": self.stderr,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Golden:
    """Observations recorded from a task's reference solution in the sandbox."""

    task: str
    content_hash: str
    observations: dict[str, Any]
    weights: dict[str, float]
    reference_cpu_s: float
    image: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def probe_ids(self) -> list[str]:
        """The trusted list of probe ids, in order."""
        return list(self.weights)

    def to_json(self) -> str:
        """Serialize for storage (e.g. in the database)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Golden:
        """Rebuild from :meth:`to_json` output."""
        data = json.loads(text)
        return cls(
            task=str(data["task"]),
            content_hash=str(data["content_hash"]),
            observations=dict(data["observations"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            reference_cpu_s=float(data["reference_cpu_s"]),
            image=str(data.get("image", "")),
            extra=dict(data.get("extra", {})),
        )
