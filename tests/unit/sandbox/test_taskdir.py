"""Task folders load into a TaskSpec, or fail naming the file (and line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox import Limits, TaskFormatError, load_task

FIXTURES = Path(__file__).parents[2] / "integration" / "sandbox" / "tasks"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the word-count fixture task."""
    target = tmp_path / "word-count"
    shutil.copytree(FIXTURES / "word-count", target)
    return target


def test_loads_an_implement_task(folder: Path) -> None:
    """Every file and the limits end up in the spec."""
    task = load_task(folder)
    assert task.slug == "word-count"
    assert task.kind == "implement"
    assert task.candidate_file == "solution.py"
    assert task.kind_class.mode == "probes"
    assert "count_words" in task.reference
    assert set(task.faulty) == {"no-lower"}
    assert task.limits == Limits()
    assert len(task.content_hash) == 64


def test_loads_a_write_tests_task() -> None:
    """write-tests tasks carry the implementation and the bugs."""
    task = load_task(FIXTURES / "clamp-tests", base_limits=Limits(wall_seconds=3))
    assert task.candidate_file == "test_solution.py"
    assert task.kind_class.mode == "write-tests"
    assert set(task.buggy) == {"no-check", "swapped", "upper-open"}
    assert task.limits.wall_seconds == 4


def test_content_hash_follows_the_files(folder: Path) -> None:
    """Changing a probe changes the hash (so stale golden data is detected)."""
    before = load_task(folder).content_hash
    (folder / "probes.py").write_text((folder / "probes.py").read_text() + "\n# changed\n")
    assert load_task(folder).content_hash != before


def rewrite(folder: Path, old: str, new: str) -> None:
    """Edit task.yaml."""
    path = folder / "task.yaml"
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("slug: word-count", "slug: Word Count", "lower-case-with-dashes"),
        ("slug: word-count", "slug: other-task", "differs from the folder name"),
        ("kind: implement", "kind: guess", "kind 'guess' must be one of"),
        ("module: solution", "module: probekit", "not a usable module name"),
        ("module: solution", "module: class", "not a usable module name"),
        ("time_minutes: 10", "limits: [1, 2]", "limits must be a mapping"),
        ("time_minutes: 10", "limits:\n  memory_mb: 0", "must be a positive number"),
    ],
)
def test_bad_metadata_names_task_yaml(folder: Path, old: str, new: str, message: str) -> None:
    """Each metadata problem raises TaskFormatError naming task.yaml."""
    rewrite(folder, old, new)
    with pytest.raises(TaskFormatError, match=message) as info:
        load_task(folder)
    assert info.value.path.endswith("task.yaml")


def test_yaml_syntax_error_has_a_line(folder: Path) -> None:
    """A YAML error reports the line."""
    (folder / "task.yaml").write_text("slug: word-count\nkind: [implement\n")
    with pytest.raises(TaskFormatError, match="invalid YAML") as info:
        load_task(folder)
    assert info.value.line is not None
    assert f"task.yaml:{info.value.line}:" in str(info.value)


def test_yaml_must_be_a_mapping(folder: Path) -> None:
    """A list is not task metadata."""
    (folder / "task.yaml").write_text("- a\n- b\n")
    with pytest.raises(TaskFormatError, match="must be a mapping"):
        load_task(folder)


def test_missing_file_is_named(folder: Path) -> None:
    """A missing required file is named."""
    (folder / "probes.py").unlink()
    with pytest.raises(TaskFormatError, match=r"probes\.py: missing file"):
        load_task(folder)


def test_broken_python_is_named_with_its_line(folder: Path) -> None:
    """A syntax error in a task file names the file and the line."""
    (folder / "faulty" / "no-lower.py").write_text("x = 1\ndef broken(:\n")
    with pytest.raises(TaskFormatError, match="syntax error") as info:
        load_task(folder)
    assert info.value.path.endswith("no-lower.py")
    assert info.value.line == 2


def test_invalid_utf8_file_is_named(folder: Path) -> None:
    """Task files must be UTF-8."""
    (folder / "reference.py").write_bytes(b"x = '\xff'\n")
    with pytest.raises(TaskFormatError, match="not valid UTF-8"):
        load_task(folder)


def test_write_tests_needs_bugs_and_module_solution(tmp_path: Path) -> None:
    """write-tests tasks need buggy/ and test the module `solution`."""
    target = tmp_path / "clamp-tests"
    shutil.copytree(FIXTURES / "clamp-tests", target)
    rewrite(target, "module: solution", "module: clamp")
    with pytest.raises(TaskFormatError, match="test the module 'solution'"):
        load_task(target)
    rewrite(target, "module: clamp", "module: solution")
    shutil.rmtree(target / "buggy")
    with pytest.raises(TaskFormatError, match="need buggy"):
        load_task(target)


def test_a_write_tests_task_may_hold_hidden_variants() -> None:
    """variants/*.py are loaded and hashed; a task without them keeps its hash."""
    plain = load_task(FIXTURES / "clamp-tests")
    varied = load_task(FIXTURES / "clamp-variants")
    assert plain.variants == {}
    assert set(varied.variants) == {"branches"}
    assert "def clamp" in varied.variants["branches"]
    assert varied.content_hash != plain.content_hash
