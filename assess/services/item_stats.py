"""Item statistics of the question bank: who saw each question, how many got it right
(facility) and whether it separates strong candidates from weak ones (discrimination).

Discrimination is the corrected item-total correlation: the Pearson correlation between a
question's score and the score on the *rest* of the attempt (every other question and
coding task), so an item never correlates with itself. Negative discrimination (strong
candidates do worse than weak ones: a wrong key or a misleading prompt) and extreme facility
(nearly everyone, or nearly nobody, right: the item tells little) are flagged.

These classical figures come from fixed-form attempts only: in an adaptive attempt each
question follows the candidate's answers (harder after right ones), so its share right and
its correlation with the rest of the attempt say nothing about the question. Adaptive
answers count where the design is accounted for: the IRT calibration and exposure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    AttemptState,
    Invitation,
    Position,
    Question,
    Submission,
    SubmissionKind,
    SubmissionState,
)

MIN_RESPONSES = 5
LOW_FACILITY = 0.1
HIGH_FACILITY = 0.95

FLAG_NEGATIVE = "negative_discrimination"
FLAG_EASY = "too_easy"
FLAG_HARD = "too_hard"
FLAG_FEW = "few_responses"


@dataclass(frozen=True)
class ItemStat:
    """One question's figures and flags."""

    item: int
    seen: int
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long series, None when either is constant."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def flags_for(seen: int, facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """The flags a question earns from its figures."""
    if seen < MIN_RESPONSES:
        return (FLAG_FEW,)
    flags = []
    if discrimination is not None and discrimination < 0:
        flags.append(FLAG_NEGATIVE)
    if facility is not None and facility >= HIGH_FACILITY:
        flags.append(FLAG_EASY)
    if facility is not None and facility <= LOW_FACILITY:
        flags.append(FLAG_HARD)
    return tuple(flags)


def compute(
    scores: Mapping[int, Mapping[int, float]], totals: Mapping[int, float]
) -> list[ItemStat]:
    """Statistics per item from ``scores[attempt][item]`` (0..1) and each attempt's total
    (every scored item of it, coding tasks included). Items are sorted by id."""
    by_item: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for attempt, items in scores.items():
        total = totals.get(attempt, sum(items.values()))
        for item, score in items.items():
            by_item[item].append((score, total - score))
    stats = []
    for item in sorted(by_item):
        pairs = by_item[item]
        seen = len(pairs)
        facility = sum(s for s, _ in pairs) / seen if seen else None
        discrimination = pearson([s for s, _ in pairs], [r for _, r in pairs])
        stats.append(
            ItemStat(
                item, seen, facility, discrimination, flags_for(seen, facility, discrimination)
            )
        )
    return stats


def closed_attempts(organization_id: int, fixed_only: bool = False) -> sa.Select[tuple[int]]:
    """The ids of the organisation's closed attempts (its positions' candidates only);
    with ``fixed_only``, not the adaptive ones."""
    chosen = (
        sa.select(Attempt.id)
        .join(Invitation, Invitation.id == Attempt.invitation_id)
        .join(Position, Position.id == Invitation.position_id)
        .where(Attempt.state != AttemptState.STARTED, Position.organization_id == organization_id)
    )
    return chosen.where(Attempt.adaptive.is_(None)) if fixed_only else chosen


@dataclass
class ClosedData:
    """What the organisation's closed attempts hold about their questions:
    ``scores[attempt][question]`` (0..1; 0 when unanswered), ``responses[attempt][question]``
    (the stored response, only where one was given) and each attempt's total (questions and
    coding tasks)."""

    scores: dict[int, dict[int, float]]
    responses: dict[int, dict[int, Any]]
    totals: dict[int, float]


def closed_data(session: DbSession, organization_id: int) -> ClosedData:
    """The scores, responses and totals of the organisation's closed fixed-form attempts
    (see the module's note on adaptive ones); other organisations' attempts never count
    (two queries)."""
    closed = closed_attempts(organization_id, fixed_only=True)
    rows = session.execute(
        sa.select(AttemptItem.attempt_id, AttemptItem.question_id, Answer.score, Answer.response)
        .outerjoin(
            Answer,
            sa.and_(
                Answer.attempt_id == AttemptItem.attempt_id,
                Answer.question_id == AttemptItem.question_id,
            ),
        )
        .where(AttemptItem.question_id.is_not(None), AttemptItem.attempt_id.in_(closed))
    ).all()
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    responses: dict[int, dict[int, Any]] = defaultdict(dict)
    for attempt_id, question_id, score, response in rows:
        scores[attempt_id][question_id] = float(score or 0.0)
        if response is not None:
            responses[attempt_id][question_id] = response
    totals = {attempt: sum(items.values()) for attempt, items in scores.items()}
    for attempt_id, _task, score in _task_scores(session, closed):
        totals[attempt_id] = totals.get(attempt_id, 0.0) + score
    return ClosedData(dict(scores), dict(responses), totals)


def bank_statistics(
    session: DbSession, organization_id: int, data: ClosedData | None = None
) -> list[tuple[Question, ItemStat]]:
    """Statistics of every question drawn in a closed attempt of the organisation's
    candidates; other organisations' attempts never count (three queries in all).
    ``data``: the organisation's closed data when already read."""
    data = data or closed_data(session, organization_id)
    stats = compute(data.scores, data.totals)
    questions = (
        {
            q.id: q
            for q in session.scalars(
                sa.select(Question).where(Question.id.in_([s.item for s in stats]))
            )
        }
        if stats
        else {}
    )
    return [(questions[s.item], s) for s in stats if s.item in questions]


def _task_scores(session: DbSession, closed: sa.Select[tuple[int]]) -> list[tuple[int, int, float]]:
    """The score of each attempt's counted (last) final submission per task."""
    latest = (
        sa.select(sa.func.max(Submission.id))
        .where(Submission.kind == SubmissionKind.FINAL, Submission.attempt_id.in_(closed))
        .group_by(Submission.attempt_id, Submission.task_id)
    )
    rows = session.execute(
        sa.select(
            Submission.attempt_id, Submission.task_id, Submission.score, Submission.state
        ).where(Submission.id.in_(latest))
    ).all()
    return [
        (attempt_id, task_id, float(score or 0.0) if state is SubmissionState.DONE else 0.0)
        for attempt_id, task_id, score, state in rows
    ]
