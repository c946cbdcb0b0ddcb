"""How objects look in the API: each schema beside the function that produces it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from assess.api.schema import (
    EMAIL_PATTERN,
    Array,
    Boolean,
    Integer,
    Map,
    Number,
    Object,
    String,
    text,
    timestamp,
)
from assess.models import Attempt, AttemptState, Competency, GradeCode, Invitation, Position
from assess.models._common import WeightClass
from assess.services.pipeline import STAGES, stage_of

GRADES = tuple(g.value for g in GradeCode)
STAGE = String(choices=STAGES, description="Pipeline stage of the candidate.")


def iso(moment: datetime | None) -> str | None:
    """An aware UTC datetime as ISO 8601 with a ``Z``."""
    if moment is None:
        return None
    return moment.isoformat().replace("+00:00", "Z")


POSITION = Object(
    name="Position",
    properties={
        "id": Integer(),
        "title": String(),
        "grade": String(choices=GRADES),
        "is_open": Boolean(),
        "show_result_summary": Boolean(),
        "created_at": timestamp(),
        "candidates": Map(values=Integer(minimum=0), description="Candidates per stage."),
    },
    required=("id", "title", "grade", "is_open", "show_result_summary", "created_at", "candidates"),
)


def position_json(position: Position, counts: Counter[str]) -> dict[str, Any]:
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


NEW_POSITION = Object(
    properties={
        "title": text(200),
        "grade": String(choices=GRADES),
        "show_result_summary": Boolean(description="Show the candidate a summary at the end."),
    },
    required=("title", "grade"),
)

INVITATION = Object(
    name="Invitation",
    properties={
        "id": Integer(),
        "position_id": Integer(),
        "candidate_name": String(),
        "candidate_email": String(),
        "stage": STAGE,
        "attempt_id": Integer(nullable=True),
        "created_at": timestamp(),
        "expires_at": timestamp(),
        "revoked_at": timestamp(nullable=True),
    },
    required=(
        "id",
        "position_id",
        "candidate_name",
        "candidate_email",
        "stage",
        "attempt_id",
        "created_at",
        "expires_at",
        "revoked_at",
    ),
)


def invitation_json(invitation: Invitation) -> dict[str, Any]:
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


CREATED_INVITATION = Object(
    name="CreatedInvitation",
    properties={
        "invitation": INVITATION,
        "link": String(format="uri", description="The candidate's link; shown only now."),
    },
    required=("invitation", "link"),
)

CREATED_INVITATIONS = Object(
    name="CreatedInvitations",
    properties={"items": Array(items=CREATED_INVITATION)},
    required=("items",),
)

CANDIDATE = Object(
    properties={
        "name": text(200),
        "email": String(
            min_length=3,
            max_length=254,
            format="email",
            pattern=EMAIL_PATTERN,
            description="An address the email check accepts (the pattern says which).",
        ),
    },
    required=("name", "email"),
)

MAX_BATCH = 100

NEW_INVITATIONS = Object(
    properties={
        "candidates": Array(
            items=CANDIDATE,
            min_items=1,
            max_items=MAX_BATCH,
            description="One or many candidates; all are invited or none.",
        ),
        "valid_days": Integer(minimum=1, maximum=90, description="Days the links stay valid."),
    },
    required=("candidates",),
)

ATTEMPT = Object(
    name="Attempt",
    properties={
        "id": Integer(),
        "position_id": Integer(),
        "invitation_id": Integer(),
        "candidate_name": String(),
        "grade": String(choices=GRADES),
        "state": String(choices=tuple(s.value for s in AttemptState)),
        "stage": STAGE,
        "started_at": timestamp(),
        "deadline_at": timestamp(),
        "finished_at": timestamp(nullable=True),
        "scored_at": timestamp(nullable=True),
        "recommended_grade": String(nullable=True),
    },
    required=(
        "id",
        "position_id",
        "invitation_id",
        "candidate_name",
        "grade",
        "state",
        "stage",
        "started_at",
        "deadline_at",
        "finished_at",
        "scored_at",
        "recommended_grade",
    ),
)


def attempt_json(attempt: Attempt) -> dict[str, Any]:
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


SCORECARD = Object(
    name="Scorecard",
    properties={
        "attempt_id": Integer(),
        "scored_at": timestamp(nullable=True),
        "recommended_grade": String(nullable=True),
        "overall": Number(nullable=True),
        "card": Map(
            nullable=True,
            description="The full scorecard: per competency earned/possible, evidence, "
            "interview scores; per grade whether it is met and the gaps. null until scored.",
        ),
    },
    required=("attempt_id", "scored_at", "recommended_grade", "overall", "card"),
)


def scorecard_json(attempt: Attempt) -> dict[str, Any]:
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


COMPETENCY = Object(
    name="Competency",
    properties={
        "code": String(),
        "name": String(),
        "weight_class": String(choices=tuple(w.value for w in WeightClass)),
        "description": String(),
    },
    required=("code", "name", "weight_class", "description"),
)


def competency_json(competency: Competency) -> dict[str, Any]:
    """A competency of the bank."""
    return {
        "code": competency.code,
        "name": competency.name,
        "weight_class": competency.weight_class.value,
        "description": competency.description,
    }
