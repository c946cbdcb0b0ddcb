"""Which blueprint an organisation's invitations use, and its own copies of them.

The bank ships one default blueprint per grade (no organisation; ``flask bank load`` keeps it
equal to ``blueprints.yaml``). An organisation's admin who edits a grade edits a copy that
belongs to that organisation alone; resetting deletes the copy, and the default applies again.
"""

from __future__ import annotations

import random

import sqlalchemy as sa
from sqlalchemy.orm import load_only

from assess.extensions import DbSession
from assess.models import AssessmentBlueprint, CodingTask, GradeCode
from sandbox import kinds as sandbox_kinds


def default_for(session: DbSession, grade: GradeCode) -> AssessmentBlueprint | None:
    """The bank's default blueprint of ``grade``."""
    return session.scalar(
        sa.select(AssessmentBlueprint).where(
            AssessmentBlueprint.organization_id.is_(None), AssessmentBlueprint.grade == grade
        )
    )


def own_for(
    session: DbSession, organization_id: int, grade: GradeCode
) -> AssessmentBlueprint | None:
    """The organisation's own copy of ``grade``, if it made one."""
    return session.scalar(
        sa.select(AssessmentBlueprint).where(
            AssessmentBlueprint.organization_id == organization_id,
            AssessmentBlueprint.grade == grade,
        )
    )


def effective(
    session: DbSession, organization_id: int, grade: GradeCode
) -> AssessmentBlueprint | None:
    """What the organisation's invitations of ``grade`` use: its own copy, else the default
    (one statement: the own copy sorts before the default)."""
    owner = AssessmentBlueprint.organization_id
    return session.scalar(
        sa.select(AssessmentBlueprint)
        .where(
            sa.or_(owner == organization_id, owner.is_(None)), AssessmentBlueprint.grade == grade
        )
        .order_by(owner.is_(None))
        .limit(1)
    )


def effective_all(session: DbSession, organization_id: int) -> list[AssessmentBlueprint]:
    """The effective blueprint of every grade that has one, junior first."""
    rows = [effective(session, organization_id, grade) for grade in GradeCode]
    return [row for row in rows if row is not None]


def own_copy(session: DbSession, organization_id: int, grade: GradeCode) -> AssessmentBlueprint:
    """The organisation's own copy of ``grade``, made from the default when it has none."""
    own = own_for(session, organization_id, grade)
    if own is not None:
        return own
    base = default_for(session, grade)
    own = AssessmentBlueprint(
        organization_id=organization_id,
        grade=grade,
        time_limit_minutes=base.time_limit_minutes if base else 60,
        questions_per_competency=dict(base.questions_per_competency) if base else {},
        task_kinds=list(base.task_kinds) if base else [],
        task_count=base.task_count if base else None,
        break_minutes=base.break_minutes if base else 0,
        adaptive=base.adaptive if base else False,
        se_target=base.se_target if base else 0.4,
    )
    session.add(own)
    return own


def reset(session: DbSession, organization_id: int, grade: GradeCode) -> bool:
    """Delete the organisation's copy of ``grade``; True when there was one."""
    own = own_for(session, organization_id, grade)
    if own is None:
        return False
    session.delete(own)
    return True


def draw_tasks(
    session: DbSession, blueprint: AssessmentBlueprint, rng: random.Random
) -> list[CodingTask]:
    """The coding tasks of one attempt: ``tasks_drawn`` current tasks of the grade whose kind
    is in the blueprint's pool, as many different kinds as possible (kinds in a random order,
    then a random task of each), so every task of the pool can be drawn. Hands-on kinds (a
    real project rather than one file) come first in that order: a pool that lists one gives
    every attempt a hands-on task when the grade has one."""
    kinds = sorted(set(blueprint.task_kinds))
    pool = session.scalars(
        sa.select(CodingTask)
        .options(load_only(CodingTask.id, CodingTask.slug, CodingTask.kind))  # not the files
        .where(
            CodingTask.is_current,
            CodingTask.grade == blueprint.grade,
            CodingTask.kind.in_(kinds),
        )
        .order_by(CodingTask.slug)
    ).all()
    remaining = {kind: [task for task in pool if task.kind == kind] for kind in kinds}
    hands_on = [kind for kind in kinds if sandbox_kinds.is_hands_on(kind)]
    others = [kind for kind in kinds if kind not in hands_on]
    order = rng.sample(hands_on, len(hands_on)) + rng.sample(others, len(others))
    chosen: list[CodingTask] = []
    while len(chosen) < blueprint.tasks_drawn and any(remaining.values()):
        for kind in order:
            if remaining[kind] and len(chosen) < blueprint.tasks_drawn:
                chosen.append(remaining[kind].pop(rng.randrange(len(remaining[kind]))))
    return chosen
