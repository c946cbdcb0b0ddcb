"""Turning an attempt's stored evidence into its scorecard (the engine itself is pure)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from assess import webhooks
from assess.extensions import DbSession
from assess.models import (
    Answer,
    Attempt,
    AttemptState,
    CodingTask,
    Competency,
    Grade,
    InterviewScorecard,
    Question,
    RubricScore,
    Submission,
    SubmissionKind,
    SubmissionState,
    utcnow,
)
from assess.scoring import (
    CompetencyInfo,
    GradeInfo,
    RubricEvidence,
    Scorecard,
    ScoredItem,
    build_scorecard,
)
from assess.services import attempts, measurement


def catalogue(session: DbSession) -> tuple[list[CompetencyInfo], list[GradeInfo]]:
    """The competencies and grades the engine scores against."""
    competencies = [
        CompetencyInfo(c.code, c.weight_class.value, c.name)
        for c in session.scalars(sa.select(Competency).order_by(Competency.position))
    ]
    grades = [
        GradeInfo(g.code.value, g.rank, g.threshold, g.min_evidence)
        for g in session.scalars(sa.select(Grade).order_by(Grade.rank))
    ]
    return competencies, grades


def attempt_evidence(session: DbSession, attempt: Attempt) -> list[ScoredItem]:
    """One scored item per drawn question and task; unanswered items score 0."""
    ranks = {g.code: g.rank for g in session.scalars(sa.select(Grade))}
    answers = {
        a.question_id: a
        for a in session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    }
    finals: dict[int, Submission] = {}
    for submission in session.scalars(
        sa.select(Submission)
        .where(Submission.attempt_id == attempt.id, Submission.kind == SubmissionKind.FINAL)
        .order_by(Submission.id)
    ):
        finals[submission.task_id] = submission  # the last final submission counts
    items: list[ScoredItem] = []
    for item in attempt.items:
        if item.question_id is not None:
            question = session.get(Question, item.question_id)
            assert question is not None
            answer = answers.get(question.id)
            score = answer.score if answer and answer.score is not None else 0.0
            items.append(
                ScoredItem(
                    f"q:{question.key}",
                    "question",
                    ranks[question.grade],
                    score,
                    dict(question.weights),
                )
            )
        elif item.task_id is not None:
            task = session.get(CodingTask, item.task_id)
            assert task is not None
            final = finals.get(task.id)
            score = 0.0
            if final is not None and final.state is SubmissionState.DONE:
                score = final.score or 0.0
            items.append(
                ScoredItem(f"t:{task.slug}", "task", ranks[task.grade], score, dict(task.weights))
            )
    return items


def attempt_rubric(session: DbSession, attempt: Attempt) -> list[RubricEvidence]:
    """Every interviewer's rubric scores for the attempt."""
    rows = session.execute(
        sa.select(RubricScore.competency_code, InterviewScorecard.interviewer_id, RubricScore.score)
        .join(InterviewScorecard, RubricScore.scorecard_id == InterviewScorecard.id)
        .where(InterviewScorecard.attempt_id == attempt.id)
    )
    return [RubricEvidence(code, str(who), score) for code, who, score in rows]


def recompute(session: DbSession, attempt: Attempt) -> Scorecard:
    """Rebuild the attempt's scorecard from its evidence and store it on the attempt."""
    competencies, grades = catalogue(session)
    card = build_scorecard(
        attempt_evidence(session, attempt), competencies, grades, attempt_rubric(session, attempt)
    )
    stored = card.to_json()
    stored["measurement"] = measurement.estimate(session, attempt, card.recommended_grade)
    attempt.scorecard = stored
    attempt.scored_at = utcnow()
    if attempt.state is not AttemptState.STARTED:
        webhooks.emit(session, webhooks.ATTEMPT_SCORED, attempt)
    return card


def close_overdue_and_score(session: DbSession) -> int:
    """Close every overdue attempt, score it, and commit; returns how many were closed."""
    closed = attempts.close_overdue(session)
    for attempt_id in closed:
        attempt = session.get(Attempt, attempt_id)
        if attempt is not None:
            recompute(session, attempt)
    session.commit()
    return len(closed)


STRENGTH_MARGIN = 0.15  # above the grade's bar by this much: a strength


@dataclass(frozen=True)
class CandidateLine:
    """One competency of the candidate's own result: a name and a plain word, no numbers."""

    code: str
    name: str
    level: str  # "strength" | "at-level" | "to-grow" | "unclear"


def candidate_summary(session: DbSession, attempt: Attempt) -> list[CandidateLine]:
    """The candidate's strengths and areas to grow, per competency the attempt measured, from
    the automated results only (interviews are the hiring team's), against the bar of the
    attempt's grade; no answers, no hidden checks, no ranking."""
    card = attempt.scorecard or {}
    grade = session.get(Grade, attempt.grade)
    bar = grade.threshold if grade else 0.5
    catalogue = {c.code: (c.position, c.name) for c in session.scalars(sa.select(Competency))}
    lines = []
    for entry in card.get("competencies", []):
        if not entry.get("evidence"):
            continue
        score = entry.get("automated")
        if not entry.get("sufficient") or score is None:
            level = "unclear"
        elif score >= bar + STRENGTH_MARGIN:
            level = "strength"
        elif score >= bar:
            level = "at-level"
        else:
            level = "to-grow"
        code = str(entry["code"])
        lines.append(CandidateLine(code, catalogue.get(code, (0, code))[1], level))
    return sorted(lines, key=lambda line: catalogue.get(line.code, (0, ""))[0])
