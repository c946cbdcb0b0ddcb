"""Prove coding tasks in the real sandbox: the reference and every independently written
correct solution (``correct/*.py``, a folder each for projects) earn full marks, the starter
does not, every faulty variant loses points, and the reference passes the visible sample
tests the candidate can run. The reference's golden observations are
recorded on the way (the loader stores them)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from assess.bank.sandbox_session import GradeOutcome, SandboxSession
from assess.bank.spec import TaskEntry

FULL_MARKS = 1.0 - 1e-9
# What the harness records for a probe that did not return: the reference should not do that
# in every probe (a broken project or a probe that cannot run, not a task).
FAILURE_KEYS = frozenset({"raised", "crashed", "timeout", "output", "unencodable", "not_run"})


def failing_everywhere(golden: dict[str, Any] | None) -> str | None:
    """Why golden observations in which every probe failed prove nothing (None when some
    probe returned a value). Host checks (``<file>:<rule>``) are not probes."""
    observations = (golden or {}).get("observations") or {}
    probes = {key: value for key, value in observations.items() if ":" not in key}
    failures = [
        value
        for value in probes.values()
        if isinstance(value, dict) and len(value) == 1 and set(value) <= FAILURE_KEYS
    ]
    if not probes or len(failures) < len(probes):
        return None
    kinds = sorted({f"{key} {value}" for f in failures for key, value in f.items()})
    return f"every probe fails on the reference ({'; '.join(kinds)[:200]})"


@dataclass
class TaskProof:
    """What proving one task found."""

    slug: str
    content_hash: str
    reference: GradeOutcome | None = None
    samples: GradeOutcome | None = None
    starter: GradeOutcome | None = None
    correct: dict[str, GradeOutcome] = field(default_factory=dict)
    faulty: dict[str, GradeOutcome] = field(default_factory=dict)
    golden: dict[str, Any] | None = None
    golden_image: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every check held."""
        return not self.problems

    def line(self) -> str:
        """One line of figures for the command output."""
        status = "ok  " if self.ok else "FAIL"
        parts = [f"{status} {self.slug}"]
        if self.reference is not None:
            parts.append(f"reference {self.reference.score:.2f}")
        if self.starter is not None:
            parts.append(f"starter {self.starter.score:.2f}")
        if self.correct:
            full = sum(1 for o in self.correct.values() if o.score >= FULL_MARKS)
            parts.append(f"correct full marks {full}/{len(self.correct)}")
        if self.faulty:
            caught = sum(1 for o in self.faulty.values() if o.score < FULL_MARKS)
            worst = max(o.score for o in self.faulty.values())
            parts.append(f"faulty caught {caught}/{len(self.faulty)} (max {worst:.2f})")
        parts.append(f"{self.seconds:.1f}s")
        text = ", ".join(parts)
        return text + "".join(f"\n    - {problem}" for problem in self.problems)


def prove_task(session: SandboxSession, entry: TaskEntry) -> TaskProof:
    """Record the golden observations and grade the reference, then the starter, the correct
    and the faulty files (as many at once as the sandbox runs concurrently)."""
    started = time.monotonic()
    proof = TaskProof(entry.slug, entry.content_hash)
    try:
        task = session.load(entry.path)
        golden = session.record_golden(task)
        proof.golden, proof.golden_image = golden.data, golden.image
        broken = failing_everywhere(proof.golden)
        if broken:
            proof.problems.append(broken)
        kind = task.kind_class
        ((reference_name, reference),) = kind.authored(task, entry.path, "reference").items()
        proof.reference = session.grade(task, reference, golden)
        if proof.reference.score < FULL_MARKS:
            proof.problems.append(f"{reference_name} does not earn full marks: {proof.reference}")
        proof.samples = session.run_samples(task, reference)
        if proof.samples.verdict != "passed":
            proof.problems.append(f"{reference_name} fails the visible tests: {proof.samples}")
        ((starter_name, starter),) = kind.authored(task, entry.path, "starter").items()
        correct = kind.authored(task, entry.path, "correct")
        faulty = kind.authored(task, entry.path, "faulty")
        sources = [starter, *correct.values(), *faulty.values()]
        with ThreadPoolExecutor(max_workers=max(1, getattr(session, "workers", 1))) as pool:
            outcomes = list(pool.map(lambda source: session.grade(task, source, golden), sources))
        proof.starter = outcomes[0]
        if proof.starter.score >= FULL_MARKS:
            proof.problems.append(f"{starter_name} earns full marks")
        for name, outcome in zip(correct, outcomes[1 : 1 + len(correct)], strict=True):
            proof.correct[name] = outcome
            if outcome.score < FULL_MARKS:
                proof.problems.append(f"correct/{name} does not earn full marks: {outcome}")
        for name, outcome in zip(faulty, outcomes[1 + len(correct) :], strict=True):
            proof.faulty[name] = outcome
            if outcome.score >= FULL_MARKS:
                proof.problems.append(f"faulty/{name} earns full marks (it must lose points)")
    except Exception as exc:  # noqa: BLE001 - any failure of the sandbox fails the proof
        proof.problems.append(f"sandbox error: {type(exc).__name__}: {exc}")
    proof.seconds = time.monotonic() - started
    return proof


def prove_tasks(
    session: SandboxSession,
    entries: Iterable[TaskEntry],
    on_proof: Callable[[TaskProof], None] | None = None,
) -> list[TaskProof]:
    """Prove each task in turn, reporting each proof as soon as it is done."""
    proofs = []
    for entry in entries:
        proof = prove_task(session, entry)
        if on_proof is not None:
            on_proof(proof)
        proofs.append(proof)
    return proofs
