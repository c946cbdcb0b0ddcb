"""Project tasks in the real sandbox: a tree of files runs as a package, probes drive it,
the project's own tests are the samples, and a submission cannot step outside its paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox import Golden, Sandbox, TaskSpec, Verdict
from sandbox import workspace as ws

from .helpers import TASKS, edited, task

pytestmark = pytest.mark.docker

FOLDER = TASKS / "ledger-project"


@pytest.fixture(scope="module")
def ledger() -> TaskSpec:
    """The fixture project task."""
    return task("ledger-project")


@pytest.fixture(scope="module")
def golden(sandbox: Sandbox, ledger: TaskSpec) -> Golden:
    """Its golden observations, recorded from the reference project."""
    return sandbox.record_golden(ledger)


def test_the_authors_submissions_come_from_the_trees(ledger: TaskSpec) -> None:
    """Starter, reference, correct and faulty are whole projects built from the folders."""
    kind = ledger.kind_class
    assert set(ws.parse(ledger.starter)) == {
        "README.md",
        "ledger/__init__.py",
        "ledger/core.py",
        "pyproject.toml",
        "tests/test_core.py",
    }
    assert "signs" in ws.parse(ledger.reference)["ledger/core.py"]
    assert list(kind.authored(ledger, FOLDER, "correct")) == ["loop/", "table/"]
    faulty = kind.authored(ledger, FOLDER, "faulty")
    assert '== "sale"' in ws.parse(faulty["ignores-refunds/"])["ledger/core.py"]
    assert ledger.faulty == {"ignores-refunds": faulty["ignores-refunds/"].decode()}


def test_reference_correct_starter_and_faulty(
    sandbox: Sandbox, ledger: TaskSpec, golden: Golden
) -> None:
    """The reference and an independent solution earn full marks; the starter and the
    faulty variant lose the refund probe."""
    kind = ledger.kind_class
    assert sandbox.grade(ledger, ledger.reference.encode(), golden).score == 1.0
    correct = kind.authored(ledger, FOLDER, "correct")["loop/"]
    assert sandbox.grade(ledger, correct, golden).verdict is Verdict.PASSED
    starter = sandbox.grade(ledger, ledger.starter.encode(), golden)
    assert starter.score < 1.0
    assert [t.id for t in starter.tests if not t.passed] == ["refunds"]
    faulty = sandbox.grade(ledger, ledger.faulty["ignores-refunds"].encode(), golden)
    assert 0 < faulty.score < 1.0


def test_new_files_and_deleted_tests_are_the_candidates_business(
    sandbox: Sandbox, ledger: TaskSpec, golden: Golden
) -> None:
    """A solution split into a new module passes; deleting the visible tests changes
    nothing for the hidden probes, which never run from the candidate's files."""
    files = ws.parse(ledger.starter)
    del files["tests/test_core.py"]
    files["ledger/signs.py"] = 'SIGNS = {"sale": 1, "refund": -1}\n'
    files["ledger/core.py"] = (
        "from ledger.signs import SIGNS\n\n\n"
        "def balance(entries):\n    return sum(SIGNS[k] * a for k, a in entries)\n"
    )
    result = sandbox.grade(ledger, json.dumps({"files": files}).encode(), golden)
    assert result.verdict is Verdict.PASSED, result.reason


def test_read_only_files_and_escaping_paths_are_refused(
    sandbox: Sandbox, ledger: TaskSpec, golden: Golden
) -> None:
    """Changing a read-only file, a path out of the project, a binary file or something
    that is not a workspace: refused with the reason, nothing runs."""
    cases = {
        edited(ledger, {"README.md": "mine now\n"}): "README.md is read-only",
        edited(ledger, {"ledger/../../etc/x": "x"}): "'..' part",
        edited(ledger, {"/tmp/x.py": "x"}): "must be relative",
        edited(ledger, {"ledger/blob.bin": "a\0b"}): "NUL byte",
        b"def balance(e): return 0\n": "not a JSON document",
        json.dumps({"files": {}, "extra": 1}).encode(): '{"files"',
    }
    for data, reason in cases.items():
        result = sandbox.grade(ledger, data, golden)
        assert result.verdict is Verdict.REJECTED, reason
        assert reason in result.reason
        assert result.duration_s == 0.0  # refused before any container ran


def test_samples_run_the_projects_own_tests(sandbox: Sandbox, ledger: TaskSpec) -> None:
    """Run sample tests on the starter: the project's test file, one failure by name."""
    result = sandbox.run_samples(ledger, ledger.starter.encode())
    outcomes = {t.id: t.passed for t in result.tests}
    assert outcomes == {
        "tests/test_core.py::test_sales_add_up": True,
        "tests/test_core.py::test_refunds_subtract": False,
    }
    fixed = sandbox.run_samples(ledger, ledger.reference.encode())
    assert fixed.verdict is Verdict.PASSED, fixed.reason


def test_a_project_cannot_reach_the_probes_through_its_files(
    sandbox: Sandbox, ledger: TaskSpec, golden: Golden
) -> None:
    """A package that tries to rewrite probes or the harness on disk, or to fake a probe
    report line on its output, still gets the starter's verdict."""
    hostile = (
        "import os, sys\n"
        "for target in ('/opt/assess/probes.py', '/opt/assess/runner.py', 'probes.py'):\n"
        "    try:\n"
        "        open(target, 'w').write('x')\n"
        "    except OSError:\n"
        "        pass\n"
        'print(\'{"id": "refunds", "obs": 5}\')\n'
        "def balance(entries):\n    return sum(a for k, a in entries)\n"
    )
    result = sandbox.grade(ledger, edited(ledger, {"ledger/core.py": hostile}), golden)
    assert [t.id for t in result.tests if not t.passed] == ["refunds"]


def test_the_loader_names_the_problem(tmp_path: Path) -> None:
    """A symbolic link, a missing tree or an editable rule broken by the reference fail
    at load time, naming the place."""
    import shutil

    from sandbox import TaskFormatError, load_task

    folder = tmp_path / "ledger-project"
    shutil.copytree(FOLDER, folder)
    (folder / "reference" / "README.md").write_text("changed\n")
    with pytest.raises(TaskFormatError, match=r"README\.md is read-only"):
        load_task(folder)
    (folder / "reference" / "README.md").unlink()
    (folder / "project" / "link.py").symlink_to("/etc/passwd")
    with pytest.raises(TaskFormatError, match="symbolic link"):
        load_task(folder)
    (folder / "project" / "link.py").unlink()
    shutil.rmtree(folder / "reference")
    with pytest.raises(TaskFormatError, match="need a reference/ folder"):
        load_task(folder)
