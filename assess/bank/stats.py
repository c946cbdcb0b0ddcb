"""Counts of current bank items per competency and grade, from the files or the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from assess.bank.spec import COMPETENCY_CODES, GRADES, Bank
from assess.models import CodingTask, InterviewQuestion, Question
from sandbox import kinds as sandbox_kinds

Stats = dict[str, Any]

DbSession = Session | scoped_session[Any]
"""A plain session or Flask-SQLAlchemy\'s scoped ``db.session``."""


def _empty() -> Stats:
    """Every competency and grade with zero items, so gaps show."""
    return {
        "questions": {code: dict.fromkeys(GRADES, 0) for code in COMPETENCY_CODES},
        "tasks": dict.fromkeys(GRADES, 0),
        "interview": {code: dict.fromkeys(GRADES, 0) for code in COMPETENCY_CODES},
        "hands_on": {code: dict.fromkeys(GRADES, 0) for code in COMPETENCY_CODES},
    }


def _fill(
    questions: Iterable[tuple[str, str]],
    tasks: Iterable[tuple[str, str, dict[str, float]]],
    interview: Iterable[tuple[str, str]],
) -> Stats:
    """Count (competency, grade) pairs, task grades, and the hands-on tasks of each
    competency they measure (tasks: grade, kind, competency weights)."""
    stats = _empty()
    for code, grade in questions:
        stats["questions"][code][grade] += 1
    for grade, kind, weights in tasks:
        stats["tasks"][grade] += 1
        if sandbox_kinds.is_hands_on(kind):
            for code in weights:
                stats["hands_on"][code][grade] += 1
    for code, grade in interview:
        stats["interview"][code][grade] += 1
    return stats


def stats_from_bank(bank: Bank) -> Stats:
    """Counts of the valid items read from the files."""
    return _fill(
        ((q.competency, q.grade) for q in bank.questions),
        ((t.grade, t.kind, dict(t.weights)) for t in bank.tasks),
        ((q.competency, q.grade) for q in bank.interview),
    )


def stats_from_db(session: DbSession) -> Stats:
    """Counts of the current items in the database."""
    questions = session.execute(
        sa.select(Question.competency_code, Question.grade).where(Question.is_current)
    )
    tasks = session.execute(
        sa.select(CodingTask.grade, CodingTask.kind, CodingTask.weights).where(
            CodingTask.is_current
        )
    )
    interview = session.execute(
        sa.select(InterviewQuestion.competency_code, InterviewQuestion.grade).where(
            InterviewQuestion.is_current
        )
    )
    return _fill(
        ((str(code), str(grade)) for code, grade in questions),
        ((str(grade), str(kind), dict(weights or {})) for grade, kind, weights in tasks),
        ((str(code), str(grade)) for code, grade in interview),
    )


def db_has_bank(session: DbSession) -> bool:
    """True when the bank tables exist and hold at least one current item."""
    inspector = sa.inspect(session.get_bind())
    if not inspector.has_table(Question.__tablename__):
        return False
    for model in (Question, CodingTask, InterviewQuestion):
        found = session.scalar(sa.select(model.id).where(model.is_current).limit(1))
        if found is not None:
            return True
    return False
