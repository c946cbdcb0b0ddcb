"""Load the bank into the database, idempotently, keeping every version ever served.

- competencies and grades are upserted; blueprints are inserted only for a grade that has
  none (admins own them once they exist);
- an item whose content hash changed gets a new row with the next version, and the old row
  stops being current; an item whose content went back to an earlier version gets that
  earlier row back as current;
- unchanged items are untouched (a task keeps its recorded ``golden``);
- items no longer in the files stop being current and are never deleted: attempts point
  at them.

The caller commits (``flask bank load`` does); nothing here commits or rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from assess.bank.reader import read_bank
from assess.bank.spec import Bank, InterviewSpec, QuestionSpec, TaskEntry
from assess.errors import BankError
from assess.models import (
    AssessmentBlueprint,
    CodingTask,
    Competency,
    Grade,
    GradeCode,
    InterviewQuestion,
    Question,
    WeightClass,
)

DbSession = Session | scoped_session[Any]
"""A plain session or Flask-SQLAlchemy\'s scoped ``db.session``."""


class InvalidBankError(BankError):
    """The bank has validation issues; ``issues`` lists them as ``file:line: message``."""

    def __init__(self, issues: Iterable[object]) -> None:
        """Keep every issue; the message shows the first few."""
        self.issues = [str(issue) for issue in issues]
        head = "\n".join(self.issues[:10])
        more = f"\n... and {len(self.issues) - 10} more" if len(self.issues) > 10 else ""
        super().__init__(f"the bank has {len(self.issues)} issue(s):\n{head}{more}")


@dataclass
class Counts:
    """What one load did to one kind of item."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def line(self) -> str:
        """``new 3, updated 1, unchanged 200, retired 0``."""
        return (
            f"new {self.new}, updated {self.updated}, "
            f"unchanged {self.unchanged}, retired {self.retired}"
        )

    @property
    def changed(self) -> bool:
        """True when the load changed anything of this kind."""
        return bool(self.new or self.updated or self.retired)


@dataclass
class LoadReport:
    """Counts per kind of item for one ``load_bank``."""

    competencies: Counts = field(default_factory=Counts)
    grades: Counts = field(default_factory=Counts)
    blueprints: Counts = field(default_factory=Counts)
    questions: Counts = field(default_factory=Counts)
    interview: Counts = field(default_factory=Counts)
    tasks: Counts = field(default_factory=Counts)

    def kinds(self) -> dict[str, Counts]:
        """Each kind with its counts, in display order."""
        return {
            "competencies": self.competencies,
            "grades": self.grades,
            "blueprints": self.blueprints,
            "questions": self.questions,
            "interview": self.interview,
            "tasks": self.tasks,
        }

    @property
    def changed(self) -> bool:
        """True when anything was written."""
        return any(counts.changed for counts in self.kinds().values())


def load_bank(session: DbSession, root: Path | str, bank: Bank | None = None) -> LoadReport:
    """Validate ``root`` (or use the already read ``bank``) and bring the database in line.

    Raises :class:`InvalidBankError` (and writes nothing) when the bank has any issue.
    """
    bank = bank if bank is not None else read_bank(root)
    if not bank.ok:
        raise InvalidBankError(bank.issues)
    report = LoadReport()
    _competencies(session, bank, report.competencies)
    _grades(session, bank, report.grades)
    session.flush()
    _blueprints(session, bank, report.blueprints)
    _sync(
        session,
        Question,
        [(q.id, q.content_hash, _question_row(q)) for q in bank.questions],
        report.questions,
    )
    _sync(
        session,
        InterviewQuestion,
        [(q.id, q.content_hash, _interview_row(q)) for q in bank.interview],
        report.interview,
    )
    _sync(
        session,
        CodingTask,
        [(t.slug, t.content_hash, _task_row(t)) for t in bank.tasks],
        report.tasks,
    )
    session.flush()
    return report


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Assign the values that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _competencies(session: DbSession, bank: Bank, counts: Counts) -> None:
    """Upsert every competency by code."""
    existing = {c.code: c for c in session.scalars(sa.select(Competency))}
    for spec in bank.competencies:
        values = {
            "name": spec.name,
            "weight_class": WeightClass(spec.weight_class),
            "description": spec.description,
            "position": spec.position,
        }
        row = existing.get(spec.code)
        if row is None:
            session.add(Competency(code=spec.code, **values))
            counts.new += 1
        elif _set(row, values):
            counts.updated += 1
        else:
            counts.unchanged += 1


def _grades(session: DbSession, bank: Bank, counts: Counts) -> None:
    """Upsert every grade by code."""
    existing = {g.code.value: g for g in session.scalars(sa.select(Grade))}
    for spec in bank.grades:
        values = {
            "rank": spec.rank,
            "name": spec.name,
            "experience": spec.experience,
            "description": spec.description,
            "threshold": spec.threshold,
            "min_evidence": spec.min_evidence,
        }
        row = existing.get(spec.code)
        if row is None:
            session.add(Grade(code=GradeCode(spec.code), **values))
            counts.new += 1
        elif _set(row, values):
            counts.updated += 1
        else:
            counts.unchanged += 1


def _blueprints(session: DbSession, bank: Bank, counts: Counts) -> None:
    """Keep each grade's default blueprint (the one of no organisation) equal to
    ``blueprints.yaml``; organisations' own copies are never touched."""
    defaults = {
        b.grade.value: b
        for b in session.scalars(
            sa.select(AssessmentBlueprint).where(AssessmentBlueprint.organization_id.is_(None))
        )
    }
    for spec in bank.blueprints:
        values = {
            "time_limit_minutes": spec.time_limit_minutes,
            "questions_per_competency": dict(spec.questions_per_competency),
            "task_kinds": list(spec.task_kinds),
            "task_count": spec.task_count,
        }
        row = defaults.get(spec.grade)
        if row is None:
            session.add(AssessmentBlueprint(grade=GradeCode(spec.grade), **values))
            counts.new += 1
        elif _set(row, values):
            counts.updated += 1
        else:
            counts.unchanged += 1


def _question_row(q: QuestionSpec) -> Callable[[Any], dict[str, Any]]:
    """The column values of a new ``Question`` version."""
    return lambda previous: {
        "key": q.id,
        "competency_code": q.competency,
        "grade": GradeCode(q.grade),
        "type": q.type,
        "weights": dict(q.weights),
        "body": q.body(),
        "answer": q.answer,
        "explanation": q.explanation,
        "ru": q.ru_body(),
        "source": q.source,
    }


def _interview_row(q: InterviewSpec) -> Callable[[Any], dict[str, Any]]:
    """The column values of a new ``InterviewQuestion`` version."""
    return lambda previous: {
        "key": q.id,
        "competency_code": q.competency,
        "grade": GradeCode(q.grade),
        "question": q.question,
        "follow_ups": list(q.follow_ups),
        "anchors": dict(q.anchors),
        "ru": dict(q.ru) if q.ru is not None else None,
        "source": q.source,
    }


def _task_row(t: TaskEntry) -> Callable[[Any], dict[str, Any]]:
    """The column values of a new ``CodingTask`` version.

    The golden observations of the previous version carry over only when they were recorded
    from exactly this sandbox content (e.g. only the statement changed); otherwise the new
    version waits for ``flask bank check`` to record them.
    """

    def build(previous: CodingTask | None) -> dict[str, Any]:
        golden = previous.golden if previous is not None else None
        keep = isinstance(golden, dict) and golden.get("content_hash") == t.sandbox_hash
        return {
            "slug": t.slug,
            "title": t.title,
            "grade": GradeCode(t.grade),
            "kind": t.kind,
            "weights": dict(t.weights),
            "statement_md": t.statement_md,
            "statement_ru_md": t.statement_ru_md or None,
            "title_ru": t.title_ru or None,
            "starter_code": t.starter_code,
            "visible_tests": t.visible_tests,
            "time_minutes": t.time_minutes,
            "spec": t.spec,
            "golden": golden if keep else None,
            "golden_image": previous.golden_image if keep and previous is not None else None,
            "source": t.source,
        }

    return build


Versioned = type[Question] | type[InterviewQuestion] | type[CodingTask]


def _key_of(row: Any) -> str:
    """The stable key of a versioned row (``key`` or, for tasks, ``slug``)."""
    return str(row.slug if isinstance(row, CodingTask) else row.key)


def _sync(
    session: DbSession,
    model: Versioned,
    items: list[tuple[str, str, Callable[[Any], dict[str, Any]]]],
    counts: Counts,
) -> None:
    """Make the current rows of ``model`` match ``items`` (key, content hash, row values)."""
    versions: dict[str, list[Any]] = defaultdict(list)
    for row in session.scalars(sa.select(model)):
        versions[_key_of(row)].append(row)
    for key, digest, build in items:
        rows = versions.get(key, [])
        current = [row for row in rows if row.is_current]
        if len(current) == 1 and current[0].content_hash == digest:
            counts.unchanged += 1
            continue
        for row in current:
            row.is_current = False
        earlier = next((row for row in rows if row.content_hash == digest), None)
        if earlier is not None:
            earlier.is_current = True
        else:
            version = max((row.version for row in rows), default=0) + 1
            previous = current[0] if current else None
            session.add(
                model(**build(previous), version=version, content_hash=digest, is_current=True)
            )
        if rows:
            counts.updated += 1
        else:
            counts.new += 1
    wanted = {key for key, _, _ in items}
    for key, rows in versions.items():
        if key in wanted:
            continue
        retired = [row for row in rows if row.is_current]
        for row in retired:
            row.is_current = False
        counts.retired += 1 if retired else 0
