"""Loading the bank into the database: idempotent, versioned, never deleting."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from assess.bank.loader import InvalidBankError, load_bank
from assess.bank.reader import read_bank
from assess.bank.stats import db_has_bank, stats_from_bank, stats_from_db
from assess.bank.taskspec import task_from_json
from assess.extensions import db
from assess.models import (
    CodingTask,
    Competency,
    Grade,
    GradeCode,
    InterviewQuestion,
    Organization,
    Question,
)
from assess.services import blueprints
from sandbox.taskdir import load_task
from tests.unit.bank.bankfiles import REAL_BANK, edit, make_bank

TASK = "word-frequency"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small bank: the sample questions and kit and one task."""
    return make_bank(tmp_path, tasks=(TASK,))


def load(root: Path) -> dict[str, tuple[int, int, int, int]]:
    """Load and commit; counts per kind as (new, updated, unchanged, retired)."""
    report = load_bank(db.session, root)
    db.session.commit()
    return {kind: (c.new, c.updated, c.unchanged, c.retired) for kind, c in report.kinds().items()}


def versions(key: str) -> list[tuple[int, bool]]:
    """(version, is_current) of every row of a question, oldest first."""
    rows = db.session.scalars(
        sa.select(Question).where(Question.key == key).order_by(Question.version)
    )
    return [(row.version, row.is_current) for row in rows]


def test_load_twice_changes_nothing(app: Flask, root: Path) -> None:
    """The first load inserts everything; the second finds everything unchanged."""
    assert not db_has_bank(db.session)
    first = load(root)
    assert first["competencies"] == (15, 0, 0, 0)
    assert first["grades"] == (3, 0, 0, 0)
    assert first["blueprints"] == (3, 0, 0, 0)
    assert first["questions"] == (6, 0, 0, 0)
    assert first["interview"] == (1, 0, 0, 0)
    assert first["tasks"] == (1, 0, 0, 0)
    stamps = db.session.execute(sa.select(Question.id, Question.created_at)).all()
    second = load(root)
    assert second["competencies"] == (0, 0, 15, 0)
    assert second["questions"] == (0, 0, 6, 0)
    assert second["tasks"] == (0, 0, 1, 0)
    assert not load_bank(db.session, root).changed
    assert db.session.execute(sa.select(Question.id, Question.created_at)).all() == stamps
    assert db_has_bank(db.session)
    assert stats_from_db(db.session) == stats_from_bank(read_bank(root))


def test_rows_hold_the_content(app: Flask, root: Path) -> None:
    """Rows carry the typed content, and grades/competencies their catalog values."""
    load(root)
    q = db.session.scalar(sa.select(Question).where(Question.key == "py-j-002"))
    assert q is not None
    assert (q.competency_code, q.grade, q.type, q.version) == (
        "PY",
        GradeCode.JUNIOR,
        "multiple",
        1,
    )
    assert q.weights == {"PY": 0.8, "TEST": 0.2}
    assert q.answer == [0, 2]
    assert q.body["options"] == ["tuple", "list", "frozenset", "dict"]
    assert "answer" not in q.body
    lines = (root / "questions" / "PY.yaml").read_text("utf-8").splitlines()
    assert q.source == f"challenges/questions/PY.yaml:{lines.index('  - id: py-j-002') + 1}"
    assert q.ru is not None and len(q.ru["options"]) == 4  # the Russian is stored beside it
    order = db.session.scalar(sa.select(Question).where(Question.key == "py-m-002"))
    assert order is not None
    assert order.body["items"] != order.answer
    kit = db.session.scalar(sa.select(InterviewQuestion))
    assert kit is not None
    assert kit.anchors["4"].startswith("Also")
    senior = db.session.get(Grade, GradeCode.SENIOR)
    assert senior is not None
    assert senior.threshold == 0.7
    nosql = db.session.get(Competency, "NOSQL")
    assert nosql is not None
    assert nosql.weight_class.value == "desirable"
    task = db.session.scalar(sa.select(CodingTask))
    assert task is not None
    assert (task.slug, task.kind, task.time_minutes, task.golden) == (TASK, "implement", 20, None)
    assert task.spec["content_hash"] == read_bank(root).tasks[0].sandbox_hash
    rebuilt = task_from_json(task.spec)
    assert rebuilt == load_task(root / "tasks" / TASK)
    assert "def top_words" in task.starter_code


def test_edit_makes_a_new_version_and_keeps_the_old(app: Flask, root: Path) -> None:
    """An edited question becomes version 2; version 1 stays, no longer current."""
    load(root)
    edit(
        root / "questions" / "PY.yaml", "Which built-in returns", "Which built-in function returns"
    )
    assert load(root)["questions"] == (0, 1, 5, 0)
    assert versions("py-j-001") == [(1, False), (2, True)]
    current = db.session.scalar(
        sa.select(Question).where(Question.key == "py-j-001", Question.is_current)
    )
    assert current is not None
    assert "built-in function" in current.body["prompt"]
    assert load(root)["questions"] == (0, 0, 6, 0)


def test_revert_brings_back_the_earlier_version(app: Flask, root: Path) -> None:
    """Going back to earlier content makes that earlier row current, without a new row."""
    load(root)
    path = root / "questions" / "PY.yaml"
    edit(path, "answer: [0, 2]", "answer: [0, 1, 2]")
    load(root)
    edit(path, "answer: [0, 1, 2]", "answer: [0, 2]")
    assert load(root)["questions"] == (0, 1, 5, 0)
    assert versions("py-j-002") == [(1, True), (2, False)]


def test_removed_items_retire_and_come_back(app: Flask, root: Path) -> None:
    """A removed question is retired, never deleted; restoring it reuses its row."""
    load(root)
    path = root / "questions" / "PY.yaml"
    original = path.read_text("utf-8")
    start = original.index("  - id: py-s-002")
    path.write_text(original[:start], "utf-8")
    (root / "interview" / "SQL.yaml").unlink()
    report = load(root)
    assert report["questions"] == (0, 0, 5, 1)
    assert report["interview"] == (0, 0, 0, 1)
    assert versions("py-s-002") == [(1, False)]
    path.write_text(original, "utf-8")
    assert load(root)["questions"] == (0, 1, 5, 0)
    assert versions("py-s-002") == [(1, True)]


def test_blueprints_are_never_overwritten(app: Flask, root: Path) -> None:
    """An organisation's own blueprint survives a reload; the bank's defaults and the catalogs
    follow their files."""
    load(root)
    org = Organization(name="Org")
    db.session.add(org)
    db.session.flush()
    own = blueprints.own_copy(db.session, org.id, GradeCode.JUNIOR)
    own.time_limit_minutes = 45
    db.session.commit()
    edit(root / "competencies.yaml", "name: Technical English", "name: English")
    edit(root / "grades.yaml", "threshold: 0.5", "threshold: 0.55")
    edit(root / "blueprints.yaml", "time_limit_minutes: 95", "time_limit_minutes: 85")
    report = load(root)
    assert report["blueprints"] == (0, 1, 2, 0)
    assert report["competencies"] == (0, 1, 14, 0)
    assert report["grades"] == (0, 1, 2, 0)
    db.session.refresh(own)
    assert own.time_limit_minutes == 45
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None and default.time_limit_minutes == 85
    eng = db.session.get(Competency, "ENG")
    assert eng is not None
    assert eng.name == "English"


def test_task_golden_survives_what_does_not_change_grading(app: Flask, root: Path) -> None:
    """Golden stays when nothing changed or only the statement did; a new reference drops it."""
    load(root)
    task = db.session.scalar(sa.select(CodingTask))
    assert task is not None
    sandbox_hash = task.spec["content_hash"]
    task.golden = {"content_hash": sandbox_hash, "observations": {}}
    task.golden_image = "runner:1"
    db.session.commit()
    assert load(root)["tasks"] == (0, 0, 1, 0)
    folder = root / "tasks" / TASK
    (folder / "statement.md").write_text("# Word frequency\n\nReworded.\n", "utf-8")
    assert load(root)["tasks"] == (0, 1, 0, 0)
    current = db.session.scalar(sa.select(CodingTask).where(CodingTask.is_current))
    assert current is not None
    assert (current.version, current.golden_image) == (2, "runner:1")
    assert current.golden == {"content_hash": sandbox_hash, "observations": {}}
    with (folder / "reference.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the sandbox hash\n")
    assert load(root)["tasks"] == (0, 1, 0, 0)
    newest = db.session.scalar(sa.select(CodingTask).where(CodingTask.is_current))
    assert newest is not None
    assert (newest.version, newest.golden, newest.golden_image) == (3, None, None)


def test_invalid_bank_writes_nothing(app: Flask, root: Path) -> None:
    """A bank with an issue is refused as a whole, with the issues listed."""
    edit(root / "questions" / "PY.yaml", "answer: 0", "answer: 7")
    with pytest.raises(InvalidBankError) as caught:
        load_bank(db.session, root)
    assert caught.value.issues == [
        "challenges/questions/PY.yaml:12: question py-j-001: answer index 7 out of range "
        "(3 options)"
    ]
    assert "1 issue(s)" in str(caught.value)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Competency)) == 0


def test_many_issues_are_summarised() -> None:
    """The error message shows ten issues and says how many more there are."""
    error = InvalidBankError([f"f.yaml:{n}: bad" for n in range(1, 14)])
    assert str(error).endswith("f.yaml:10: bad\n... and 3 more")


def test_shipped_content_loads_twice(app: Flask) -> None:
    """Every valid item of the shipped bank loads, and a second load changes nothing."""
    bank = read_bank(REAL_BANK)
    bank.issues = []  # the shipped bank's validity is test_shipped_bank_is_valid's job
    first = load_bank(db.session, REAL_BANK, bank)
    db.session.commit()
    assert first.questions.new == len(bank.questions) > 0
    assert first.tasks.new == len(bank.tasks) > 0
    again = load_bank(db.session, REAL_BANK, bank)
    db.session.commit()
    assert not again.changed
    assert stats_from_db(db.session) == stats_from_bank(bank)
