"""How objects look in the API: each pydantic model beside the function that produces it,
and the models of the request bodies."""

from __future__ import annotations

import enum
from collections import Counter
from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyUrl, Field

from assess import models
from assess.api.fields import AS_JSON_INT, Body, Email, Shape, Title
from assess.models import AttemptState, GradeCode
from assess.models._common import WeightClass
from assess.services.invitations import DEFAULT_VALID_DAYS
from assess.services.pipeline import STAGES, stage_of

Stage = enum.StrEnum("Stage", {stage.upper(): stage for stage in STAGES})  # type: ignore[misc]
Stage.__doc__ = "Pipeline stage of the candidate."
Count = Annotated[int, Field(ge=0)]


def iso(moment: datetime | None) -> str | None:
    """An aware UTC datetime as ISO 8601 with a ``Z``."""
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


class Position(Shape):
    """A position with its candidates counted per stage."""

    id: int
    title: str
    grade: GradeCode
    is_open: bool
    show_result_summary: bool
    created_at: datetime
    candidates: dict[str, Count] = Field(description="Candidates per stage.")


def position_json(position: models.Position, counts: Counter[str]) -> dict[str, Any]:
    """A position with its candidates counted per stage."""
    return {
        "id": position.id,
        "title": position.title,
        "grade": position.grade.value,
        "is_open": position.is_open,
        "show_result_summary": position.show_result_summary,
        "created_at": iso(position.created_at),
        "candidates": {stage: counts.get(stage, 0) for stage in STAGES},
    }


class NewPosition(Body):
    """A position to create."""

    title: Title
    grade: GradeCode = Field(strict=False)
    show_result_summary: bool = Field(False, description="Show the candidate a summary at the end.")


class Invitation(Shape):
    """An invitation and its candidate's stage (the link is never shown again)."""

    id: int
    position_id: int
    candidate_name: str
    candidate_email: str
    stage: Stage
    attempt_id: int | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def invitation_json(invitation: models.Invitation) -> dict[str, Any]:
    """An invitation and its candidate's stage (the token is never shown again)."""
    attempt = invitation.attempt
    return {
        "id": invitation.id,
        "position_id": invitation.position_id,
        "candidate_name": invitation.candidate_name,
        "candidate_email": invitation.candidate_email,
        "stage": stage_of(invitation, attempt),
        "attempt_id": attempt.id if attempt else None,
        "created_at": iso(invitation.created_at),
        "expires_at": iso(invitation.expires_at),
        "revoked_at": iso(invitation.revoked_at),
    }


class CreatedInvitation(Shape):
    """A new invitation and its link."""

    invitation: Invitation
    link: AnyUrl = Field(description="The candidate's link; shown only now.")


class CreatedInvitations(Shape):
    """The invitations a request created."""

    items: list[CreatedInvitation]


class Candidate(Body):
    """Someone to invite."""

    name: Title
    email: Email


MAX_BATCH = 100


class NewInvitations(Body):
    """Candidates to invite to a position."""

    candidates: list[Candidate] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description="One or many candidates; all are invited or none.",
    )
    valid_days: Annotated[int, Field(ge=1, le=90), AS_JSON_INT] = Field(
        DEFAULT_VALID_DAYS, description="Days the links stay valid."
    )


class Attempt(Shape):
    """An attempt's state and timing."""

    id: int
    position_id: int
    invitation_id: int
    candidate_name: str
    grade: GradeCode
    state: AttemptState
    stage: Stage
    started_at: datetime
    deadline_at: datetime
    finished_at: datetime | None
    scored_at: datetime | None
    recommended_grade: str | None


def attempt_json(attempt: models.Attempt) -> dict[str, Any]:
    """An attempt's state and timing."""
    invitation = attempt.invitation
    card = attempt.scorecard or {}
    grade = card.get("recommended_grade")
    return {
        "id": attempt.id,
        "position_id": invitation.position_id,
        "invitation_id": invitation.id,
        "candidate_name": invitation.candidate_name,
        "grade": attempt.grade.value,
        "state": attempt.state.value,
        "stage": stage_of(invitation, attempt),
        "started_at": iso(attempt.started_at),
        "deadline_at": iso(attempt.deadline_at),
        "finished_at": iso(attempt.finished_at),
        "scored_at": iso(attempt.scored_at),
        "recommended_grade": grade if isinstance(grade, str) else None,
    }


class Scorecard(Shape):
    """An attempt's stored scorecard."""

    attempt_id: int
    scored_at: datetime | None
    recommended_grade: str | None
    overall: float | None
    card: dict[str, Any] | None = Field(
        description="The full scorecard: per competency earned/possible, evidence, "
        "interview scores; per grade whether it is met and the gaps. null until scored."
    )


def scorecard_json(attempt: models.Attempt) -> dict[str, Any]:
    """The attempt's stored scorecard (null until it is scored)."""
    card = attempt.scorecard
    grade = (card or {}).get("recommended_grade")
    overall = (card or {}).get("overall")
    return {
        "attempt_id": attempt.id,
        "scored_at": iso(attempt.scored_at),
        "recommended_grade": grade if isinstance(grade, str) else None,
        "overall": overall if isinstance(overall, int | float) else None,
        "card": card,
    }


class Competency(Shape):
    """A competency of the bank."""

    code: str
    name: str
    weight_class: WeightClass
    description: str


def competency_json(competency: models.Competency) -> dict[str, Any]:
    """A competency of the bank."""
    return {
        "code": competency.code,
        "name": competency.name,
        "weight_class": competency.weight_class.value,
        "description": competency.description,
    }
