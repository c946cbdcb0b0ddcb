"""Task folders: layout and task.yaml mistakes are located; a valid folder is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank.reader import read_bank
from assess.bank.taskspec import task_from_json
from tests.unit.bank.bankfiles import edit, make_bank

SLUG = "word-frequency"


def task_issues(root: Path) -> list[str]:
    """The issues of the bank at ``root``."""
    return [str(i) for i in read_bank(root).issues]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A bank holding a copy of the word-frequency task."""
    return make_bank(tmp_path, tasks=(SLUG,))


def test_valid_task_is_described(root: Path) -> None:
    """The copy is valid; its spec rebuilds the sandbox's TaskSpec with the same hash."""
    bank = read_bank(root)
    assert bank.ok, bank.issues
    task = bank.task(SLUG)
    assert task is not None
    assert bank.task("nope") is None
    assert (task.grade, task.kind, task.module) == ("junior", "implement", "solution")
    assert task.weights == {"PY": 1.0}
    assert task.statement_md.startswith("#") or task.statement_md
    rebuilt = task_from_json(task.spec)
    assert rebuilt.content_hash == task.sandbox_hash
    assert rebuilt.limits.wall_seconds == 10
    assert task.content_hash != task.sandbox_hash


def test_statement_changes_the_task_hash_only(tmp_path: Path) -> None:
    """Editing statement.md makes a new version but keeps the sandbox hash (and golden)."""
    first = read_bank(make_bank(tmp_path / "a", tasks=(SLUG,))).tasks[0]
    root = make_bank(tmp_path / "b", tasks=(SLUG,))
    (root / "tasks" / SLUG / "statement.md").write_text("# Changed\n", "utf-8")
    second = read_bank(root).tasks[0]
    assert second.sandbox_hash == first.sandbox_hash
    assert second.content_hash != first.content_hash


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("slug: word-frequency", "slug: word_frequency", "task.yaml:1", "must equal the folder"),
        ("grade: junior", "grade: intern", "task.yaml:3", "grade must be one of"),
        ("kind: implement", "kind: essay", "task.yaml:4", "kind must be one of"),
        ("competencies: {PY: 1.0}", "competencies: {PY: 0.5}", "task.yaml:5", "sum to 1.0"),
        ("competencies: {PY: 1.0}", "competencies: {XX: 1.0}", "task.yaml:5", "unknown compet"),
        ("module: solution", "module: Sol-ution", "task.yaml:6", "must be a Python module"),
        ("  memory_mb: 256", "  memory_mb: 256\n  disk_mb: 9", "task.yaml:10", "unknown key"),
        ("  memory_mb: 256", "  memory_mb: 1", "task.yaml:9", "memory_mb must be a number"),
        ("  memory_mb: 256", "  cpu_budget_factor: 2", "task.yaml:9", "not a limit of implement"),
        ("time_minutes: 20", "time_minutes: 2", "task.yaml:10", "time_minutes must be"),
        ("time_minutes: 20", "time_minutes: 20\ncolour: red", "task.yaml:11", "unknown key"),
        ("limits:\n", "limits: 5\nx:\n", "task.yaml:7", "limits must be a mapping"),
        ("title: Word frequency\n", "", "task.yaml:1", "missing required key 'title'"),
        ("title: Word frequency", "title: " + "x" * 201, "task.yaml:2", "longer than 200"),
    ],
)
def test_task_yaml_mistakes(root: Path, old: str, new: str, where: str, message: str) -> None:
    """Each task.yaml mistake names the file and line."""
    edit(root / "tasks" / SLUG / "task.yaml", old, new)
    found = task_issues(root)
    prefix = f"challenges/tasks/{SLUG}/{where}: "
    assert any(i.startswith(prefix) and message in i for i in found), found


def test_missing_files_and_syntax_errors(root: Path) -> None:
    """Missing files, an empty faulty/, a single correct/ solution and a syntax error (at
    its line) are reported."""
    folder = root / "tasks" / SLUG
    (folder / "probes.py").unlink()
    for path in (folder / "faulty").glob("*.py"):
        path.unlink()
    _kept, *others = sorted((folder / "correct").glob("*.py"))
    for path in others:
        path.unlink()
    (folder / "reference.py").write_text("x = 1\ndef broken(:\n", "utf-8")
    found = task_issues(root)
    base = f"challenges/tasks/{SLUG}"
    assert f"{base}/task.yaml:1: task: missing file probes.py" in found
    assert f"{base}/task.yaml:1: task: faulty/ needs at least one .py" in found
    assert (
        f"{base}/task.yaml:1: task: correct/ needs at least 2 independently written solutions"
        " (.py), has 1"
    ) in found
    assert any(i.startswith(f"{base}/reference.py:2: ") for i in found), found


def test_missing_task_yaml_and_bad_yaml(tmp_path: Path) -> None:
    """A folder without task.yaml, or with invalid YAML in it, is reported."""
    root = make_bank(tmp_path, tasks=(SLUG,))
    (root / "tasks" / "half-written").mkdir()
    (root / "tasks" / "_drafts").mkdir()
    edit(root / "tasks" / SLUG / "task.yaml", "title: Word frequency", "title: [unclosed")
    found = task_issues(root)
    assert "challenges/tasks/half-written/task.yaml:1: task: missing task.yaml" in found
    assert any(i.startswith(f"challenges/tasks/{SLUG}/task.yaml:3: invalid YAML") for i in found)
    assert not any("_drafts" in i for i in found)


def test_task_yaml_not_a_mapping(root: Path) -> None:
    """task.yaml must be a mapping."""
    (root / "tasks" / SLUG / "task.yaml").write_text("- a\n", "utf-8")
    assert task_issues(root) == [
        f"challenges/tasks/{SLUG}/task.yaml:1: task: task.yaml must be a mapping"
    ]


def test_sandbox_refusal_is_located(root: Path) -> None:
    """What only the sandbox's loader refuses still names the task's file."""
    edit(root / "tasks" / SLUG / "task.yaml", "module: solution", "module: probes")
    found = task_issues(root)
    assert found == [
        f"challenges/tasks/{SLUG}/task.yaml:1: task: module 'probes' is not a usable module name"
    ]


def test_unreadable_python_file(root: Path) -> None:
    """A Python file that is not UTF-8 is named."""
    (root / "tasks" / SLUG / "faulty" / "bad_encoding.py").write_bytes(b"# \xff\n")
    found = task_issues(root)
    assert any(
        i.startswith(f"challenges/tasks/{SLUG}/faulty/bad_encoding.py:1: unreadable") for i in found
    ), found


def test_write_tests_needs_buggy_and_implementation(tmp_path: Path) -> None:
    """A write-tests task needs implementation.py and buggy/*.py (and no probes.py)."""
    root = make_bank(tmp_path, tasks=(SLUG,))
    folder = root / "tasks" / SLUG
    edit(folder / "task.yaml", "kind: implement", "kind: write-tests")
    (folder / "probes.py").unlink()
    found = task_issues(root)
    base = f"challenges/tasks/{SLUG}/task.yaml:1: task:"
    assert f"{base} missing file implementation.py" in found
    assert f"{base} buggy/ needs at least one .py" in found
    assert not any("probes.py" in i for i in found)


def test_russian_statement_is_required_with_a_title(root: Path) -> None:
    """statement.ru.md must exist and start its text with a '# ' title, reported by file and
    line; its text and title reach the task entry and its version hash."""
    folder = root / "tasks" / SLUG
    found = read_bank(root)
    (entry,) = found.tasks
    assert entry.title_ru == "Частота слов" and entry.statement_ru_md.startswith("# Частота слов")
    before = entry.content_hash
    (folder / "statement.ru.md").write_text("# Частота слов\n\nИначе.\n", "utf-8")
    assert read_bank(root).tasks[0].content_hash != before
    (folder / "statement.ru.md").write_text("Без заголовка.\n", "utf-8")
    assert (
        f"challenges/tasks/{SLUG}/statement.ru.md:1: task: statement.ru.md needs a '# ' title"
        " heading"
    ) in task_issues(root)
    (folder / "statement.ru.md").unlink()
    assert f"challenges/tasks/{SLUG}/task.yaml:1: task: missing file statement.ru.md" in (
        task_issues(root)
    )
