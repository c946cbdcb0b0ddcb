"""Attempts (their state) and their scorecards."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from assess.api import access
from assess.api import representations as shapes
from assess.api.blueprint import bp
from assess.api.fields import Id, optional
from assess.api.operation import api_operation, caller
from assess.api.pagination import AttemptPage, Paged, paginate
from assess.api.representations import attempt_json, scorecard_json
from assess.extensions import db
from assess.models import Attempt, AttemptState, Invitation, Role, User

READERS = frozenset({Role.RECRUITER, Role.ADMIN, Role.INTERVIEWER})
WHO_SEES = (
    "Recruiters and admins see their organisation's attempts; interviewers only the attempts "
    "they are assigned to."
)
INDEPENDENCE = (
    "Until an interviewer has recorded their own recommendation, their colleagues' interview "
    "scores are left out: the card, overall score and recommended grade are the automated "
    "evidence alone."
)


class AttemptsQuery(Paged):
    """Which attempts to list."""

    position_id: Id | None = optional("Only this position's attempts.")
    state: Annotated[AttemptState, Field(strict=False)] | None = optional(
        "Only attempts in this state."
    )


def _attempt_json(user: User, attempt: Attempt) -> dict[str, Any]:
    """An attempt as the caller may see it (its grade without colleagues' interviews for an
    interviewer who has not recommended yet)."""
    shown = attempt_json(attempt)
    if user.role is Role.INTERVIEWER and attempt.scorecard is not None:
        grade = (access.visible_card(db.session, user, attempt) or {}).get("recommended_grade")
        shown["recommended_grade"] = grade if isinstance(grade, str) else None
    return shown


@bp.get("/attempts")
@api_operation(
    "List attempts",
    tag="attempts",
    roles=READERS,
    response=AttemptPage,
    query=AttemptsQuery,
    description=f"Newest first. {WHO_SEES} {INDEPENDENCE}",
)
def list_attempts(query: AttemptsQuery) -> Any:
    """A page of the attempts the caller may read."""
    select = access.attempts_query(caller())
    if query.position_id is not None:
        select = select.where(Invitation.position_id == query.position_id)
    if query.state is not None:
        select = select.where(Attempt.state == query.state)
    page = paginate(db.session, select.order_by(Attempt.id.desc()), query)
    user = caller()
    return page.to_json([_attempt_json(user, a) for a in page.rows])


@bp.get("/attempts/<int:attempt_id>")
@api_operation(
    "Get an attempt",
    tag="attempts",
    roles=READERS,
    response=shapes.Attempt,
    description=f"{WHO_SEES} {INDEPENDENCE}",
)
def get_attempt(attempt_id: int) -> Any:
    """One attempt's state and timing."""
    user = caller()
    return _attempt_json(user, access.attempt_for(db.session, user, attempt_id))


@bp.get("/attempts/<int:attempt_id>/scorecard")
@api_operation(
    "Get an attempt's scorecard",
    tag="scorecards",
    roles=READERS,
    response=shapes.Scorecard,
    description="The stored scorecard; `card` is null until the attempt is scored. "
    f"{WHO_SEES} {INDEPENDENCE}",
)
def get_scorecard(attempt_id: int) -> Any:
    """The attempt's scorecard as stored (reading never recomputes it), or for an
    interviewer who has not recommended yet, the automated part alone."""
    user = caller()
    attempt = access.attempt_for(db.session, user, attempt_id)
    shown = scorecard_json(attempt)
    card = access.visible_card(db.session, user, attempt)
    if card is not attempt.scorecard:
        grade, overall = (card or {}).get("recommended_grade"), (card or {}).get("overall")
        shown["recommended_grade"] = grade if isinstance(grade, str) else None
        shown["overall"] = overall if isinstance(overall, int | float) else None
        shown["card"] = card
    return shown
