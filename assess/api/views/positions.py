"""Positions and their invitations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for

from assess.api import access
from assess.api.blueprint import bp
from assess.api.errors import DuplicateEntriesError
from assess.api.operation import Param, api_operation, caller
from assess.api.pagination import PAGE, PER_PAGE, page_of, paginate
from assess.api.representations import (
    CREATED_INVITATIONS,
    INVITATION,
    NEW_INVITATIONS,
    NEW_POSITION,
    POSITION,
    invitation_json,
    position_json,
)
from assess.api.schema import Boolean
from assess.errors import Conflict, ValidationFailed
from assess.extensions import db
from assess.models import GradeCode, Invitation, Position, Role
from assess.security import client_ip
from assess.services import audit, invitations, pipeline
from assess.services.accounts import normalize_email

RECRUITING = frozenset({Role.RECRUITER, Role.ADMIN})
PAGING = (Param("page", PAGE), Param("per_page", PER_PAGE))


@bp.get("/positions")
@api_operation(
    "List positions",
    tag="positions",
    roles=RECRUITING,
    response=page_of(POSITION),
    query=(*PAGING, Param("is_open", Boolean(description="Only open (or closed) positions."))),
    description="The positions of the caller's organisation, newest first.",
)
def list_positions(query: dict[str, Any]) -> Any:
    """A page of the organisation's positions with their pipeline counts."""
    select = access.positions_query(caller())
    if "is_open" in query:
        select = select.where(Position.is_open.is_(query["is_open"]))
    page = paginate(
        db.session, select.order_by(Position.created_at.desc(), Position.id.desc()), query
    )
    counts = pipeline.counts_by_position(db.session, [p.id for p in page.rows])
    return page.to_json([position_json(p, counts[p.id]) for p in page.rows])


@bp.post("/positions")
@api_operation(
    "Create a position",
    tag="positions",
    roles=RECRUITING,
    response=POSITION,
    status=201,
    body=NEW_POSITION,
)
def create_position(body: dict[str, Any]) -> Any:
    """A new position in the caller's organisation."""
    user = caller()
    position = invitations.create_position(
        db.session,
        user,
        body["title"],
        GradeCode(body["grade"]),
        show_result=bool(body.get("show_result_summary", False)),
    )
    audit.record(
        db.session,
        "position.created",
        actor_id=user.id,
        object_type="position",
        object_id=position.id,
        ip=client_ip(),
        via="api",
    )
    db.session.commit()
    return position_json(
        position, pipeline.counts_by_position(db.session, [position.id])[position.id]
    ), 201


@bp.get("/positions/<int:position_id>")
@api_operation("Get a position", tag="positions", roles=RECRUITING, response=POSITION)
def get_position(position_id: int) -> Any:
    """One position of the caller's organisation."""
    position = access.position_for(db.session, caller(), position_id)
    counts = pipeline.counts_by_position(db.session, [position.id])[position.id]
    return position_json(position, counts)


@bp.get("/positions/<int:position_id>/invitations")
@api_operation(
    "List a position's invitations",
    tag="invitations",
    roles=RECRUITING,
    response=page_of(INVITATION),
    query=PAGING,
    description="Every invitation of the position with the candidate's stage, newest first.",
)
def list_invitations(position_id: int, query: dict[str, Any]) -> Any:
    """A page of the position's invitations."""
    position = access.position_for(db.session, caller(), position_id)
    select = (
        sa.select(Invitation)
        .where(Invitation.position_id == position.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    page = paginate(db.session, select, query)
    return page.to_json([invitation_json(i) for i in page.rows])


def _checked_candidates(candidates: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Normalised (name, email) pairs, or every bad field at once."""
    errors: dict[str, str] = {}
    duplicates: dict[str, str] = {}
    seen: dict[str, int] = {}
    pairs: list[tuple[str, str]] = []
    for index, candidate in enumerate(candidates):
        path = f"candidates[{index}]"
        try:
            address = normalize_email(candidate["email"])
        except ValidationFailed as exc:
            errors[f"{path}.email"] = exc.fields.get("email", str(exc))
            continue
        if address in seen:
            duplicates[f"{path}.email"] = f"the same address as candidates[{seen[address]}]"
            continue
        seen[address] = index
        pairs.append((candidate["name"], address))
    if errors:
        raise ValidationFailed("some candidates are not valid; nobody was invited", errors)
    if duplicates:
        raise DuplicateEntriesError("an address appears twice; nobody was invited", duplicates)
    return pairs


@bp.post("/positions/<int:position_id>/invitations")
@api_operation(
    "Invite candidates",
    tag="invitations",
    roles=RECRUITING,
    response=CREATED_INVITATIONS,
    status=201,
    body=NEW_INVITATIONS,
    errors=(409, 429),
    description="Invite one or many candidates at once. All are invited or, when any entry "
    "is refused, none (422; 409 when an address appears twice); each link is returned only "
    "in this response.",
)
def create_invitations(position_id: int, body: dict[str, Any]) -> Any:
    """Invite every listed candidate and return their links."""
    user = caller()
    position = access.position_for(db.session, user, position_id)
    if not position.is_open:
        raise Conflict("the position is closed")
    pairs = _checked_candidates(body["candidates"])
    invitations.spend_invitation_budget(db.session, user.id, len(pairs))
    created = []
    for index, (name, address) in enumerate(pairs):
        try:
            invitation, token = invitations.invite(
                db.session,
                position,
                name,
                address,
                user,
                valid_days=body.get("valid_days", invitations.DEFAULT_VALID_DAYS),
            )
        except ValidationFailed as exc:
            db.session.rollback()
            fields = {f"candidates[{index}].{k}": v for k, v in exc.fields.items()}
            raise ValidationFailed(str(exc), fields) from exc
        audit.record(
            db.session,
            "invitation.created",
            actor_id=user.id,
            object_type="invitation",
            object_id=invitation.id,
            ip=client_ip(),
            via="api",
        )
        created.append((invitation, token))
    db.session.commit()
    items = [
        {
            "invitation": invitation_json(invitation),
            "link": url_for("candidate.landing", token=token, _external=True),
        }
        for invitation, token in created
    ]
    return {"items": items}, 201


@bp.get("/invitations/<int:invitation_id>")
@api_operation("Get an invitation", tag="invitations", roles=RECRUITING, response=INVITATION)
def get_invitation(invitation_id: int) -> Any:
    """One invitation of the caller's organisation (its link is never shown again)."""
    return invitation_json(access.invitation_for(db.session, caller(), invitation_id))


@bp.post("/invitations/<int:invitation_id>/revoke")
@api_operation(
    "Withdraw an invitation",
    tag="invitations",
    roles=RECRUITING,
    response=INVITATION,
    description="The link stops working and an attempt in progress loses access. "
    "Withdrawing twice is harmless.",
)
def revoke_invitation(invitation_id: int) -> Any:
    """Withdraw the invitation."""
    user = caller()
    invitation = access.invitation_for(db.session, user, invitation_id)
    if invitation.revoked_at is None:
        invitations.revoke(invitation)
        audit.record(
            db.session,
            "invitation.revoked",
            actor_id=user.id,
            object_type="invitation",
            object_id=invitation.id,
            ip=client_ip(),
            via="api",
        )
        db.session.commit()
    return invitation_json(invitation)
