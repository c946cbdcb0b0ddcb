"""``flask bank load|check|stats`` against a real database (no Docker: a fake sandbox)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from assess import create_app
from assess.bank import cli as bank_cli_module
from assess.bank.cli import bank_cli
from assess.bank.sandbox_session import GoldenRecord, GradeOutcome, SandboxUnavailableError
from assess.extensions import db
from assess.models import CodingTask
from sandbox import TaskSpec, load_task
from tests.unit.bank.bankfiles import correct_solutions, edit, make_bank

TASK = "word-frequency"
CORRECT = len(correct_solutions(TASK))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small valid bank with one task."""
    return make_bank(tmp_path, tasks=(TASK,))


def invoke(runner: FlaskCliRunner, *args: str) -> Any:
    """Run ``flask bank ...``."""
    return runner.invoke(bank_cli, list(args))


def test_load_prints_a_summary(runner: FlaskCliRunner, root: Path) -> None:
    """Counts per kind; the second load reports everything unchanged."""
    first = invoke(runner, "load", "--root", str(root))
    assert first.exit_code == 0, first.output
    assert "questions     new 6, updated 0, unchanged 0, retired 0" in first.output
    again = invoke(runner, "load", "--root", str(root))
    assert "tasks         new 0, updated 0, unchanged 1, retired 0" in again.output


def test_load_refuses_an_invalid_bank(runner: FlaskCliRunner, root: Path) -> None:
    """Issues are printed as file:line: message and nothing is loaded."""
    edit(root / "questions" / "PY.yaml", "answer: [0, 2]", "answer: [0, 9]")
    result = invoke(runner, "load", "--root", str(root))
    assert result.exit_code == 1
    assert "challenges/questions/PY.yaml:35: question py-j-002: answer index 9" in result.output
    assert "1 issue(s); nothing was loaded" in result.output


def test_check_without_sandbox(runner: FlaskCliRunner, root: Path) -> None:
    """A valid bank passes; warnings name blueprint gaps without failing."""
    result = invoke(runner, "check", "--root", str(root), "--no-sandbox")
    assert result.exit_code == 0, result.output
    assert "bank: 6 questions, 1 interview questions, 1 valid tasks, 0 issue(s)" in result.output
    assert "warning: blueprint junior: wants 2 SQL question(s), the bank has 0" in result.output


def test_check_reports_each_issue_and_fails(runner: FlaskCliRunner, root: Path) -> None:
    """Each issue is a line; a code-output answer that the code does not print is one."""
    edit(root / "questions" / "PY.yaml", "[1, 2, 3]\n", "[3, 2, 1]\n")
    edit(
        root / "questions" / "PY.yaml",
        "    grade: senior\n    type: bug-line",
        "    grade: senior\n    type: bug-line\n    hint: x",
    )
    result = invoke(runner, "check", "--root", str(root), "--no-sandbox")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("challenges/")]
    assert lines == [
        "challenges/questions/PY.yaml:82: question py-s-001: code prints '[1, 2, 3]\\n', "
        "not the answer",
        "challenges/questions/PY.yaml:101: question py-s-002: unknown key 'hint'",
    ]
    quiet = invoke(runner, "check", "--root", str(root), "--no-sandbox", "--no-exec")
    assert "code prints" not in quiet.output


def test_check_fails_clearly_without_docker(
    runner: FlaskCliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Docker: say so and exit non-zero."""

    class NoDocker:
        def __enter__(self) -> None:
            raise SandboxUnavailableError("the Docker engine is unreachable: refused")

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(bank_cli_module, "SandboxSession", NoDocker)
    result = invoke(runner, "check", "--root", str(root))
    assert result.exit_code == 1
    assert (
        "error: the sandbox is unavailable, no task was proved: the Docker engine" in result.output
    )


class FakeSandbox:
    """Passes the reference and the correct solutions, fails everything else."""

    def __enter__(self) -> FakeSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def load(self, folder: Path) -> TaskSpec:
        self.full = {(folder / "reference.py").read_bytes()}
        self.full |= {path.read_bytes() for path in (folder / "correct").glob("*.py")}
        return load_task(folder)

    def record_golden(self, task: Any) -> GoldenRecord:
        data = {"content_hash": "from-the-sandbox", "observations": {"p": 1}}
        return GoldenRecord(None, data, "runner:test")

    def grade(self, task: Any, source: bytes, golden: GoldenRecord) -> GradeOutcome:
        score = 1.0 if source in self.full else 0.25
        return GradeOutcome("passed" if score == 1.0 else "failed", score, "", {})

    def run_samples(self, task: Any, source: bytes) -> GradeOutcome:
        return GradeOutcome("passed", 1.0, "", {})


def test_check_stores_golden_for_the_loaded_task(
    app: Flask, runner: FlaskCliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proved task's golden lands on its current row; --task picks one task."""
    monkeypatch.setattr(bank_cli_module, "SandboxSession", FakeSandbox)
    assert invoke(runner, "load", "--root", str(root)).exit_code == 0
    result = invoke(runner, "check", "--root", str(root), "--task", TASK, "--no-exec")
    assert result.exit_code == 0, result.output
    assert (
        f"ok   {TASK}, reference 1.00, starter 0.25, "
        f"correct full marks {CORRECT}/{CORRECT}, faulty caught" in result.output
    )
    assert "tasks proved: 1/1; golden stored for 1 in the database" in result.output
    task = db.session.scalar(sa.select(CodingTask))
    assert task is not None
    assert task.golden == {"content_hash": "from-the-sandbox", "observations": {"p": 1}}
    assert task.golden_image == "runner:test"
    missing = invoke(runner, "check", "--root", str(root), "--task", "nope", "--no-exec")
    assert missing.exit_code == 1
    assert "no task 'nope' in the bank" in missing.output


def test_check_fails_when_a_proof_fails(
    runner: FlaskCliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A starter that earns full marks fails the check."""
    monkeypatch.setattr(bank_cli_module, "SandboxSession", FakeSandbox)
    folder = root / "tasks" / TASK
    (folder / "starter.py").write_bytes((folder / "reference.py").read_bytes())
    result = invoke(runner, "check", "--root", str(root), "--no-exec")
    assert result.exit_code == 1
    assert f"FAIL {TASK}" in result.output
    assert "starter.py earns full marks" in result.output
    assert "tasks proved: 0/1; golden stored for 0" in result.output


def test_stats_json_from_files_then_database(runner: FlaskCliRunner, root: Path) -> None:
    """The exact JSON shape; from the files while the DB is empty, then from the DB."""
    from_files = json.loads(invoke(runner, "stats", "--json", "--root", str(root)).output)
    assert set(from_files) == {"questions", "tasks", "interview", "hands_on"}
    assert from_files["questions"]["PY"] == {"junior": 2, "middle": 2, "senior": 2}
    assert from_files["tasks"] == {"junior": 1, "middle": 0, "senior": 0}
    invoke(runner, "load", "--root", str(root))
    edit(root / "questions" / "PY.yaml", "  - id: py-s-002", "  - id: py-s-003")
    from_db = json.loads(invoke(runner, "stats", "--json", "--root", str(root)).output)
    assert from_db == from_files
    files_now = json.loads(
        invoke(runner, "stats", "--json", "--from-files", "--root", str(root)).output
    )
    assert files_now == from_files
    table = invoke(runner, "stats", "--root", str(root)).output
    assert table.startswith("source: database")
    assert "PY             2       2       2       0       0       0" in table
    assert table.rstrip().endswith("tasks          1       0       0")


def test_check_one_task_ignores_the_rest(
    runner: FlaskCliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--task reports only that task's issues; an invalid task is not proved."""
    monkeypatch.setattr(bank_cli_module, "SandboxSession", FakeSandbox)
    edit(root / "questions" / "PY.yaml", "answer: 0", "answer: 7")
    fine = invoke(runner, "check", "--root", str(root), "--task", TASK)
    assert fine.exit_code == 0, fine.output
    assert "PY.yaml" not in fine.output
    edit(root / "tasks" / TASK / "task.yaml", "time_minutes: 20", "time_minutes: 2")
    broken = invoke(runner, "check", "--root", str(root), "--task", TASK)
    assert broken.exit_code == 1
    assert f"challenges/tasks/{TASK}/task.yaml:10: task: time_minutes must be" in broken.output
    assert "tasks proved" not in broken.output


def test_unreachable_database(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a database, check still proves (golden not stored) and stats counts files."""
    monkeypatch.setattr(bank_cli_module, "SandboxSession", FakeSandbox)
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody:x@127.0.0.1:9/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    runner = app.test_cli_runner()
    checked = invoke(runner, "check", "--root", str(root), "--no-exec")
    assert checked.exit_code == 0, checked.output
    assert "warning: golden not stored, the database failed" in checked.output
    assert "golden stored for 0 in the database" in checked.output
    stats = json.loads(invoke(runner, "stats", "--json", "--root", str(root)).output)
    assert stats["tasks"] == {"junior": 1, "middle": 0, "senior": 0}
