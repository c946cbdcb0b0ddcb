"""CLI functions: exit codes and messages without touching Docker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox import RunResult, TestOutcome, Verdict, cli
from sandbox.errors import EngineUnavailableError
from sandbox.image import ImageBuildError

FIXTURES = Path(__file__).parents[2] / "integration" / "sandbox" / "tasks"


def test_format_result_is_readable() -> None:
    """The text form shows verdict, reason, tests, figures, flags and output."""
    result = RunResult(
        task="t",
        verdict=Verdict.FAILED,
        score=0.5,
        tests=(TestOutcome("a", True, "ok"), TestOutcome("b", False, "timed out")),
        reason="1 of 2 hidden checks failed",
        stdout="printed\n",
        stderr="warned\n",
        cpu_s=0.2,
        peak_memory_mb=11.0,
        flags=("line 1: calls exec",),
    )
    text = cli.format_result(result)
    for part in ("t: failed  score 0.50", "reason: 1 of 2", "PASS a: ok", "FAIL b: timed out",
                 "CPU 0.200 s", "peak 11.0 MB", "flag: line 1", "printed", "warned"):  # fmt: skip
        assert part in text


def test_grade_file_reports_task_problems(tmp_path: Path) -> None:
    """A missing task folder or a broken task.yaml: exit 1, naming the file."""
    code, text = cli.grade_file(tmp_path, "nope", tmp_path / "x.py", False)
    assert code == 1
    assert "nope" in text
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "task.yaml").write_text("slug: [\n")
    code, text = cli.grade_file(tmp_path, "broken", tmp_path / "x.py", False)
    assert code == 1
    assert "task.yaml" in text


def test_grade_file_reports_unreadable_submission(tmp_path: Path) -> None:
    """An unreadable submission is named."""
    code, text = cli.grade_file(FIXTURES, "word-count", tmp_path / "gone.py", True)
    assert code == 1
    assert "gone.py" in text


def test_grade_file_reports_platform_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreachable engine is a platform failure: exit 1."""

    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise EngineUnavailableError("the Docker engine is unreachable: test")

    monkeypatch.setattr(cli, "Sandbox", unreachable)
    submission = tmp_path / "solution.py"
    submission.write_text("x = 1\n")
    code, text = cli.grade_file(FIXTURES, "word-count", submission, True)
    assert code == 1
    assert "unreachable" in text


def test_grade_file_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --json the output is one JSON object; the exit code is 0 whatever the verdict."""

    class FakeSandbox:
        def __init__(self, config: Any) -> None:
            self.closed = False

        def __enter__(self) -> FakeSandbox:
            return self

        def __exit__(self, *exc: object) -> None:
            self.closed = True

        def record_golden(self, task: Any) -> str:
            return "golden"

        def grade(self, task: Any, source: bytes, golden: str) -> RunResult:
            return RunResult(task.slug, Verdict.TIMEOUT, 0.0, reason="slow")

    monkeypatch.setattr(cli, "Sandbox", FakeSandbox)
    submission = tmp_path / "solution.py"
    submission.write_text("x = 1\n")
    code, text = cli.grade_file(FIXTURES, "word-count", submission, True)
    assert code == 0
    assert json.loads(text)["verdict"] == "timeout"


def test_build_image_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 0 when built, 1 with the error otherwise."""
    logs: list[str] = []
    monkeypatch.setattr(cli, "build_image", lambda **kw: "assess-sandbox:x")
    assert cli.build_image_command(log=logs.append) == 0

    def failing(**kw: Any) -> str:
        raise ImageBuildError("debootstrap failed")

    monkeypatch.setattr(cli, "build_image", failing)
    assert cli.build_image_command(log=logs.append) == 1
    assert logs[-1] == "error: debootstrap failed"
