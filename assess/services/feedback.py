"""The finished candidate's survey (how fair it felt, 1-5; anything to tell us): optional,
once per attempt, stored without any link to the attempt, and summarised per position for
recruiters (interviewers never see it)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from assess.errors import Conflict, ValidationFailed
from assess.extensions import DbSession
from assess.models import Attempt, AttemptState, CandidateFeedback, Position, utcnow
from assess.textrules import checked_multi_line

MAX_COMMENT = 1000
RECENT_COMMENTS = 20
MIN_RESPONSES = 3  # fewer, and the position page could tell whose answer it is


@dataclass(frozen=True)
class Summary:
    """A position's feedback: how many answered, the mean fairness, the latest comments."""

    responses: int
    rated: int
    mean_fairness: float | None
    counts: dict[int, int]  # fairness -> how many chose it
    comments: list[str]  # among the latest, in alphabetical order
    shown: bool = True  # False below MIN_RESPONSES: only the count is told


def give(session: DbSession, attempt: Attempt, fairness: int | None, comment: str | None) -> None:
    """Store one finished attempt's answers (either may be left out, not both)."""
    if attempt.state is AttemptState.STARTED:
        raise Conflict("the survey opens when the assessment is finished")
    if attempt.feedback_given:
        raise Conflict("thank you, your feedback was already recorded")
    if fairness is not None and (type(fairness) is not int or not 1 <= fairness <= 5):
        raise ValidationFailed("fairness must be 1 to 5", {"fairness": "1 to 5"})
    given = (comment or "").strip()
    text = checked_multi_line(given, "comment", MAX_COMMENT) if given else None
    if fairness is None and text is None:
        raise ValidationFailed("answer at least one question", {"fairness": "or a comment"})
    # Claim the attempt's one answer in the database itself: two requests at once cannot
    # both pass the check above and store two rows.
    claimed = session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.feedback_given.is_(False))
        .values(feedback_given=True)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict("thank you, your feedback was already recorded")
    session.add(
        CandidateFeedback(
            position_id=attempt.invitation.position_id,
            fairness=fairness,
            comment=text,
            day=utcnow().date(),
        )
    )
    session.flush()
    session.refresh(attempt, ["feedback_given"])


def summary(session: DbSession, position: Position) -> Summary:
    """The position's feedback in figures and its latest comments."""
    rows = session.execute(
        sa.select(CandidateFeedback.fairness, sa.func.count())
        .where(CandidateFeedback.position_id == position.id)
        .group_by(CandidateFeedback.fairness)
    ).all()
    counts = {int(f): int(n) for f, n in rows if f is not None}
    responses = sum(int(n) for _, n in rows)
    rated = sum(counts.values())
    mean = round(sum(f * n for f, n in counts.items()) / rated, 2) if rated else None
    if responses < MIN_RESPONSES:
        return Summary(responses, 0, None, {}, [], shown=False)
    latest = session.scalars(
        sa.select(CandidateFeedback.comment)
        .where(CandidateFeedback.position_id == position.id, CandidateFeedback.comment.is_not(None))
        .order_by(CandidateFeedback.id.desc())
        .limit(RECENT_COMMENTS)
    ).all()
    # Alphabetical, not in the order they came: the order would match the order candidates
    # finished in, which the same page shows.
    return Summary(responses, rated, mean, counts, sorted(c for c in latest if c))
