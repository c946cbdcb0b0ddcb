"""Hashes, YAML positions, code-output snippets, blueprint coverage, stats from files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from assess.bank.coverage import blueprint_gaps
from assess.bank.hashing import canonical_json, content_hash
from assess.bank.reader import read_bank
from assess.bank.snippets import check_code_output, check_code_outputs, run_snippet
from assess.bank.source import SourceFile
from assess.bank.stats import stats_from_bank
from tests.unit.bank.bankfiles import REAL_BANK, edit, make_bank

PROJECT = Path(__file__).parents[2] / "integration" / "sandbox" / "tasks" / "ledger-project"


def test_hash_is_canonical() -> None:
    """Key order and spacing do not change a hash; content does."""
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})
    assert len(content_hash("x")) == 64


def test_question_hash_follows_content(tmp_path: Path) -> None:
    """Defaults written out do not change a question's hash; an edited prompt does."""
    q = read_bank(make_bank(tmp_path), tasks=False).questions[0]
    assert q.content_hash == replace(q, source="elsewhere:9").content_hash
    assert q.content_hash != replace(q, prompt="Other").content_hash


def test_source_positions(tmp_path: Path) -> None:
    """Mappings and sequences remember their lines; anchors and merges are read."""
    f = SourceFile(tmp_path / "x.yaml", "x.yaml")
    doc = f.parse("base: &b {k: 1}\nitems:\n  - one\n  - two\nmerged:\n  <<: *b\n  j: 2\n")
    assert f.issues == []
    assert doc.line_of("items") == 2
    assert doc["items"].line_of(1) == 4
    assert doc["items"].line_of(9) == doc["items"].line
    assert doc.line_of("missing") == doc.line
    assert doc["merged"] == {"k": 1, "j": 2}


def test_source_rejects_complex_keys(tmp_path: Path) -> None:
    """A mapping used as a key is reported."""
    f = SourceFile(tmp_path / "x.yaml", "x.yaml")
    f.parse("? [a, b]\n: 1\n")
    assert [str(i) for i in f.issues] == ["x.yaml:1: a mapping key must be a plain value"]


def test_source_unreadable(tmp_path: Path) -> None:
    """A path that cannot be read is one issue."""
    f = SourceFile(tmp_path, "dir.yaml")
    assert f.read() is None
    assert str(f.issues[0]).startswith("dir.yaml:1: cannot read")


def test_run_snippet() -> None:
    """Snippets run isolated, report failures and time out."""
    assert run_snippet("print('hi')") == (0, "hi\n", "")
    assert run_snippet("raise SystemExit(3)")[0] == 3
    assert run_snippet("while True: pass", timeout=0.5) == (None, "", "")
    assert run_snippet("import os; print(os.environ.get('HOME'))") == (0, "None\n", "")


def test_code_output_checks(tmp_path: Path) -> None:
    """A snippet that prints something else, fails or hangs is an issue at its question."""
    bank = read_bank(make_bank(tmp_path), tasks=False)
    (q,) = [q for q in bank.questions if q.type == "code-output"]
    assert check_code_outputs(bank.questions) == []
    wrong = replace(q, code="print([3, 2, 1])")
    assert str(check_code_output(wrong)) == (
        "challenges/questions/PY.yaml:82: question py-s-001: code prints '[3, 2, 1]\\n', "
        "not the answer"
    )
    failing = replace(q, code="1/0")
    assert "code fails on CPython 3.11" in str(check_code_output(failing))
    assert "ZeroDivisionError" in str(check_code_output(failing))


def test_blueprint_gaps(tmp_path: Path) -> None:
    """Demands the bank cannot meet are listed with figures; so is a task no blueprint draws."""
    root = make_bank(tmp_path, tasks=("word-frequency", "ttl-lru-cache"))
    edit(
        root / "blueprints.yaml",
        "task_kinds: [project, implement, fix, write-tests, optimise, secure, async]\n"
        "    task_count: 2\n  - grade: middle",
        "task_kinds: [implement, fix]\n  - grade: middle",
    )
    edit(
        root / "blueprints.yaml",
        "task_kinds: [project, implement, fix, write-tests, optimise, secure, async]\n"
        "    task_count: 2\n  - grade: senior",
        "task_kinds: [fix]\n  - grade: senior",
    )
    gaps = blueprint_gaps(read_bank(root))
    assert "blueprint junior: wants 2 PY question(s), the bank has 2" not in gaps
    assert "blueprint junior: wants 2 SQL question(s), the bank has 0" in gaps
    assert (
        "blueprint junior: draws 2 task(s) of different kinds from fix, implement,"
        " the bank has tasks of 1 of them"
    ) in gaps
    assert "task ttl-lru-cache: no blueprint draws implement tasks of the middle grade" in gaps
    assert not any("word-frequency" in g for g in gaps)


def test_stats_from_files(tmp_path: Path) -> None:
    """Counts per competency and grade, zeros included."""
    stats = stats_from_bank(read_bank(make_bank(tmp_path, tasks=("word-frequency",))))
    assert set(stats) == {"questions", "tasks", "interview", "hands_on"}
    assert stats["questions"]["PY"] == {"junior": 2, "middle": 2, "senior": 2}
    assert stats["questions"]["SQL"] == {"junior": 0, "middle": 0, "senior": 0}
    assert stats["tasks"] == {"junior": 1, "middle": 0, "senior": 0}
    assert stats["interview"]["SQL"]["junior"] == 1
    assert len(stats["questions"]) == 15
    assert not any(n for counts in stats["hands_on"].values() for n in counts.values())


def test_project_tasks_are_read_and_counted_as_hands_on(tmp_path: Path) -> None:
    """A project task folder (trees instead of files, a folder per variant) is a valid bank
    task; its starter is the workspace document; stats count it as hands-on per
    competency; a missing tree or too few correct folders are issues naming task.yaml."""
    root = make_bank(tmp_path)
    folder = root / "tasks" / "ledger-project"
    shutil.copytree(PROJECT, folder)
    bank = read_bank(root)
    assert not bank.issues, bank.issues
    (task,) = bank.tasks
    assert task.kind == "project"
    assert '"ledger/core.py"' in task.starter_code
    stats = stats_from_bank(bank)
    assert stats["hands_on"]["PY"] == {"junior": 1, "middle": 0, "senior": 0}
    assert stats["hands_on"]["SQL"] == {"junior": 0, "middle": 0, "senior": 0}
    shutil.rmtree(folder / "correct" / "table")
    shutil.rmtree(folder / "reference")
    messages = [issue.message for issue in read_bank(root).issues]
    assert "task: missing folder reference/" in messages
    assert "task: correct/ needs at least 2 independently written solutions (folder), has 1" in (
        messages
    )


def test_shipped_bank_is_valid() -> None:
    """challenges/ has no issue at all (the same as `flask bank check --no-sandbox`)."""
    bank = read_bank(REAL_BANK)
    issues = [str(issue) for issue in bank.issues]
    issues += [str(issue) for issue in check_code_outputs(bank.questions)]
    assert issues == []
