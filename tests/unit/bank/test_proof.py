"""Proving a task: the rules hold whatever the sandbox answers (a fake sandbox here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assess.bank.proof import prove_tasks
from assess.bank.reader import read_bank
from assess.bank.sandbox_session import GoldenRecord, GradeOutcome
from assess.bank.spec import TaskEntry
from sandbox import load_task
from tests.unit.bank.bankfiles import correct_solutions, make_bank


class FakeSandbox:
    """Scores files by name: ``scores`` maps a file name to the score it earns."""

    def __init__(
        self, scores: dict[str, float], fail: Exception | None = None, samples: str = "passed"
    ) -> None:
        """Remember the scripted scores and the verdict of the sample tests."""
        self.scores = scores
        self.fail = fail
        self.samples = samples
        self.observed: dict[str, Any] = {"p": 1}
        self.names: dict[bytes, str] = {}
        self.folder: Path | None = None

    def load(self, folder: Path) -> Any:
        """Index the folder's files by content so grade() can tell them apart; the task
        itself is loaded as the real sandbox loads it (its kind lists the submissions)."""
        if self.fail is not None:
            raise self.fail
        self.folder = folder
        for path in folder.rglob("*.py"):
            self.names.setdefault(path.read_bytes(), path.name)
        return load_task(folder)

    def record_golden(self, task: Any) -> GoldenRecord:
        """A golden record with one observation (or the scripted ones)."""
        return GoldenRecord(native=None, data={"observations": self.observed}, image="img:1")

    def grade(self, task: Any, source: bytes, golden: GoldenRecord) -> GradeOutcome:
        """The scripted score of the file with these bytes (default: 0.5)."""
        score = self.scores.get(self.names[source], 0.5)
        verdict = "passed" if score == 1.0 else "failed"
        return GradeOutcome(verdict, score, "" if score == 1.0 else "lost points", {})

    def run_samples(self, task: Any, source: bytes) -> GradeOutcome:
        """The scripted verdict of the visible tests."""
        reason = "" if self.samples == "passed" else "1 of 3 sample tests failed"
        return GradeOutcome(self.samples, 1.0 if self.samples == "passed" else 0.67, reason, {})


# every correct solution of the task earns full marks (however many the task holds)
CORRECT = dict.fromkeys(correct_solutions("word-frequency"), 1.0)


@pytest.fixture(scope="module")
def entry(tmp_path_factory: pytest.TempPathFactory) -> TaskEntry:
    """The word-frequency task, read from a copy."""
    bank = read_bank(make_bank(tmp_path_factory.mktemp("bank"), tasks=("word-frequency",)))
    return bank.tasks[0]


def test_good_task_passes(entry: TaskEntry) -> None:
    """Reference and correct/ full, starter and every faulty below full: ok, with figures."""
    seen = []
    (proof,) = prove_tasks(
        FakeSandbox({"reference.py": 1.0, "starter.py": 0.0, **CORRECT}), [entry], seen.append
    )  # type: ignore[arg-type]
    assert proof.ok
    assert seen == [proof]
    assert proof.golden == {"observations": {"p": 1}}
    assert proof.golden_image == "img:1"
    line = proof.line()
    assert line.startswith(
        f"ok   word-frequency, reference 1.00, starter 0.00, correct full marks {len(CORRECT)}/"
        f"{len(CORRECT)}, faulty caught "
    )
    assert f"{len(proof.faulty)}/{len(proof.faulty)} (max 0.50)" in line


def test_every_broken_rule_is_reported(entry: TaskEntry) -> None:
    """Reference below full, starter full, a correct solution below full and a faulty file
    at full are each a problem."""
    scores = {
        "reference.py": 0.9,
        "starter.py": 1.0,
        "casefold.py": 1.0,
        **CORRECT,
        "scanner_style.py": 0.75,
    }
    (proof,) = prove_tasks(FakeSandbox(scores), [entry])  # type: ignore[arg-type]
    assert not proof.ok
    assert proof.problems == [
        "reference.py does not earn full marks: failed 0.90 (lost points)",
        "starter.py earns full marks",
        "correct/scanner_style.py does not earn full marks: failed 0.75 (lost points)",
        "faulty/casefold.py earns full marks (it must lose points)",
    ]
    assert f"correct full marks {len(CORRECT) - 1}/{len(CORRECT)}" in proof.line()
    assert proof.line().startswith("FAIL word-frequency")
    assert "\n    - starter.py earns full marks" in proof.line()


def test_sandbox_error_fails_the_proof(entry: TaskEntry) -> None:
    """Any exception from the sandbox is a failed proof, not a crash."""
    (proof,) = prove_tasks(FakeSandbox({}, fail=RuntimeError("engine went away")), [entry])  # type: ignore[arg-type]
    assert proof.problems == ["sandbox error: RuntimeError: engine went away"]
    assert proof.line().startswith("FAIL word-frequency, ")


def test_a_reference_that_fails_its_visible_tests_fails_the_proof(entry: TaskEntry) -> None:
    """The candidate's "Run tests" must pass on the reference: a sample test that contradicts
    the reference would mislead every candidate who trusts it."""
    scores = {"reference.py": 1.0, "starter.py": 0.0, **CORRECT}
    (proof,) = prove_tasks(FakeSandbox(scores, samples="failed"), [entry])  # type: ignore[arg-type]
    assert proof.problems == [
        "reference.py fails the visible tests: failed 0.67 (1 of 3 sample tests failed)"
    ]


def test_a_reference_whose_every_probe_raises_fails_the_proof(entry: TaskEntry) -> None:
    """Golden observations made only of exceptions (a broken read-only project file, a
    probe that cannot run) would pass any submission that raises the same way."""
    box = FakeSandbox({"reference.py": 1.0, "starter.py": 0.0, **CORRECT})
    box.observed = {"a": {"raised": "TypeError"}, "b": {"crashed": {"signal": 9}}, "f:r": True}
    (proof,) = prove_tasks(box, [entry])  # type: ignore[arg-type]
    assert proof.problems == [
        "every probe fails on the reference (crashed {'signal': 9}; raised TypeError)"
    ]
    box.observed = {"a": {"raised": "ValueError"}, "b": [1, 2]}
    (proof,) = prove_tasks(box, [entry])  # type: ignore[arg-type]
    assert proof.ok
