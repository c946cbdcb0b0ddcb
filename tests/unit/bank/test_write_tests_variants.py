"""Write-tests tasks must ship hidden correct variants (a test file cannot single out the
shown implementation and pass only on it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from assess.bank.tasks import parse_task

TASK = Path(__file__).resolve().parents[3] / "challenges" / "tasks" / "money-allocation-tests"


def test_a_write_tests_task_without_variants_is_an_issue(tmp_path: Path) -> None:
    """Removing variants/ makes the bank check name the task file and the missing folder."""
    root = tmp_path / "challenges"
    folder = root / "tasks" / TASK.name
    shutil.copytree(TASK, folder)
    entry, issues = parse_task(root, folder)
    assert issues == []
    assert entry is not None
    shutil.rmtree(folder / "variants")
    _, issues = parse_task(root, folder)
    assert any("variants/ needs at least one .py" in issue.message for issue in issues)
    assert all(issue.file.endswith("task.yaml") for issue in issues)
