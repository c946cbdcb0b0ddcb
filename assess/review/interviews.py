"""Structured interviews: the kit for an attempt's grade, recording one interviewer's
rubric scores and recommendation, and the panel of every interviewer's scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from assess.errors import Forbidden, ValidationFailed
from assess.extensions import DbSession
from assess.models import (
    Attempt,
    Competency,
    InterviewQuestion,
    InterviewScorecard,
    Recommendation,
    Role,
    RubricScore,
    User,
)
from assess.services import audit, scorecards
from assess.services.review import is_assigned

MAX_NOTES = 5000
MAX_REASON = 5000


@dataclass(frozen=True)
class KitSection:
    """One competency of the interview kit and its questions at the attempt's grade."""

    competency: Competency
    questions: tuple[InterviewQuestion, ...]


def interview_kit(session: DbSession, attempt: Attempt) -> list[KitSection]:
    """The current interview questions at the attempt's grade, grouped by competency in the
    job's order (two queries)."""
    competencies = session.scalars(sa.select(Competency).order_by(Competency.position)).all()
    questions: dict[str, list[InterviewQuestion]] = defaultdict(list)
    for question in session.scalars(
        sa.select(InterviewQuestion)
        .where(InterviewQuestion.grade == attempt.grade, InterviewQuestion.is_current)
        .order_by(InterviewQuestion.key)
    ):
        questions[question.competency_code].append(question)
    return [KitSection(c, tuple(questions[c.code])) for c in competencies if questions[c.code]]


@dataclass(frozen=True)
class RubricEntry:
    """What an interviewer entered for one competency (score None: not assessed)."""

    score: int | None
    notes: str


def parse_entries(
    form: Mapping[str, str], codes: list[str]
) -> tuple[dict[str, RubricEntry], dict[str, str]]:
    """Read ``score-<CODE>`` and ``notes-<CODE>`` fields; return entries and field errors."""
    entries: dict[str, RubricEntry] = {}
    errors: dict[str, str] = {}
    for code in codes:
        raw = (form.get(f"score-{code}") or "").strip()
        notes = (form.get(f"notes-{code}") or "").strip()
        score: int | None = None
        if raw:
            if raw not in ("1", "2", "3", "4"):
                errors[f"score-{code}"] = "a score is 1, 2, 3 or 4"
                continue
            score = int(raw)
        if len(notes) > MAX_NOTES:
            errors[f"notes-{code}"] = f"notes are limited to {MAX_NOTES} characters"
        elif notes and score is None:
            errors[f"score-{code}"] = "give a score for these notes"
        entries[code] = RubricEntry(score, notes)
    return entries, errors


def my_scorecard(session: DbSession, attempt: Attempt, user: User) -> InterviewScorecard | None:
    """The interviewer's own scorecard of the attempt, if started."""
    return session.scalar(
        sa.select(InterviewScorecard).where(
            InterviewScorecard.attempt_id == attempt.id,
            InterviewScorecard.interviewer_id == user.id,
        )
    )


def save_interview(
    session: DbSession,
    attempt: Attempt,
    interviewer: User,
    entries: Mapping[str, RubricEntry],
    recommendation: Recommendation | None,
    reason: str,
    ip: str | None = None,
) -> InterviewScorecard:
    """Record (or revise) one interviewer's scores and recommendation, then rescore the
    attempt so the interview joins the scorecard. Only an assigned interviewer may."""
    if not is_assigned(session, attempt, interviewer):
        raise Forbidden("only an assigned interviewer records an interview")
    known = set(session.scalars(sa.select(Competency.code)))
    unknown = sorted(set(entries) - known)
    if unknown:
        raise ValidationFailed("unknown competency", {f"score-{unknown[0]}": "unknown"})
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed("the reason is too long", {"reason": "too long"})
    if recommendation is not None and not reason:
        raise ValidationFailed("give a reason for the recommendation", {"reason": "required"})
    if recommendation is not None and not any(e.score for e in entries.values()):
        raise ValidationFailed(
            "score at least one competency before recommending", {"recommendation": "no scores"}
        )
    card = my_scorecard(session, attempt, interviewer)
    if card is None:
        card = InterviewScorecard(attempt_id=attempt.id, interviewer_id=interviewer.id)
        session.add(card)
        session.flush()
    card.recommendation = recommendation
    card.reason = reason
    existing = {r.competency_code: r for r in card.rubric_scores}
    for code, entry in entries.items():
        row = existing.get(code)
        if entry.score is None:
            if row is not None:
                card.rubric_scores.remove(row)
            continue
        if row is None:
            card.rubric_scores.append(
                RubricScore(competency_code=code, score=entry.score, notes=entry.notes)
            )
        else:
            row.score, row.notes = entry.score, entry.notes
    session.flush()
    scorecards.recompute(session, attempt)
    audit.record(
        session,
        "interview.scored",
        actor_id=interviewer.id,
        object_type="attempt",
        object_id=attempt.id,
        ip=ip,
        recommendation=recommendation.value if recommendation else None,
        competencies=sorted(c for c, e in entries.items() if e.score),
    )
    return card


def sees_others(session: DbSession, attempt: Attempt, user: User) -> bool:
    """Whether ``user`` may see other interviewers' scores of ``attempt``: recruiters and
    admins always; an interviewer once their own recommendation is recorded (independent
    judgements first, so that nobody anchors on a colleague's scores)."""
    if user.role is not Role.INTERVIEWER:
        return True
    mine = my_scorecard(session, attempt, user)
    return mine is not None and mine.recommendation is not None


@dataclass(frozen=True)
class PanelScore:
    """One interviewer's score of one competency."""

    interviewer: str
    score: int
    notes: str


@dataclass(frozen=True)
class Panel:
    """Every interviewer's recommendation and rubric scores of one attempt."""

    recommendations: tuple[tuple[str, Recommendation | None, str], ...]
    scores: Mapping[str, tuple[PanelScore, ...]] = field(default_factory=dict)

    def spread(self, code: str) -> int | None:
        """Highest minus lowest score of a competency (None with fewer than two scores)."""
        values = [s.score for s in self.scores.get(code, ())]
        return max(values) - min(values) if len(values) > 1 else None


def panel(session: DbSession, attempt: Attempt) -> Panel:
    """The panel of the attempt's interviews (two queries)."""
    cards = (
        session.execute(
            sa.select(InterviewScorecard, User)
            .join(User, User.id == InterviewScorecard.interviewer_id)
            .where(InterviewScorecard.attempt_id == attempt.id)
            .order_by(InterviewScorecard.id)
        )
        .tuples()
        .all()
    )
    names = {card.id: (user.name or user.email) for card, user in cards}
    scores: dict[str, list[PanelScore]] = defaultdict(list)
    if cards:
        for row in session.scalars(
            sa.select(RubricScore)
            .where(RubricScore.scorecard_id.in_(list(names)))
            .order_by(RubricScore.scorecard_id)
        ):
            scores[row.competency_code].append(
                PanelScore(names[row.scorecard_id], row.score, row.notes)
            )
    return Panel(
        recommendations=tuple((names[c.id], c.recommendation, c.reason) for c, _ in cards),
        scores={code: tuple(values) for code, values in scores.items()},
    )
