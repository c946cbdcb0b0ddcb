"""Positions and their invitations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for

from assess.api import access
from assess.api import representations as shapes
from assess.api.blueprint import bp
from assess.api.errors import DuplicateEntriesError
from assess.api.fields import QueryBool, optional
from assess.api.operation import api_operation, caller
from assess.api.pagination import InvitationPage, Paged, PositionPage, paginate
from assess.api.representations import NewInvitations, NewPosition, invitation_json, position_json
from assess.errors import Conflict, ValidationFailed
from assess.extensions import db
from assess.models import Invitation, Position, Role
from assess.security import client_ip
from assess.services import audit, invitations, pipeline
from assess.services.accounts import normalize_email

RECRUITING = frozenset({Role.RECRUITER, Role.ADMIN})


class PositionsQuery(Paged):
    """Which positions to list."""

    is_open: QueryBool | None = optional("Only open (or closed) positions.")


@bp.get("/positions")
@api_operation(
    "List positions",
    tag="positions",
    roles=RECRUITING,
    response=PositionPage,
    query=PositionsQuery,
    description="The positions of the caller's organisation, newest first.",
)
def list_positions(query: PositionsQuery) -> Any:
    """A page of the organisation's positions with their pipeline counts."""
    select = access.positions_query(caller())
    if query.is_open is not None:
        select = select.where(Position.is_open.is_(query.is_open))
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
    response=shapes.Position,
    status=201,
    body=NewPosition,
)
def create_position(body: NewPosition) -> Any:
    """A new position in the caller's organisation."""
    user = caller()
    position = invitations.create_position(
        db.session,
        user,
        body.title,
        body.grade,
        show_result=body.show_result_summary,
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
@api_operation("Get a position", tag="positions", roles=RECRUITING, response=shapes.Position)
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
    response=InvitationPage,
    query=Paged,
    description="Every invitation of the position with the candidate's stage, newest first.",
)
def list_invitations(position_id: int, query: Paged) -> Any:
    """A page of the position's invitations."""
    position = access.position_for(db.session, caller(), position_id)
    select = (
        sa.select(Invitation)
        .where(Invitation.position_id == position.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    page = paginate(db.session, select, query)
    return page.to_json([invitation_json(i) for i in page.rows])


def _checked_candidates(candidates: list[shapes.Candidate]) -> list[tuple[str, str]]:
    """Normalised (name, email) pairs, or every bad field at once."""
    errors: dict[str, str] = {}
    duplicates: dict[str, str] = {}
    seen: dict[str, int] = {}
    pairs: list[tuple[str, str]] = []
    for index, candidate in enumerate(candidates):
        path = f"candidates[{index}]"
        try:
            address = normalize_email(candidate.email)
        except ValidationFailed as exc:
            errors[f"{path}.email"] = exc.fields.get("email", str(exc))
            continue
        if address in seen:
            duplicates[f"{path}.email"] = f"the same address as candidates[{seen[address]}]"
            continue
        seen[address] = index
        pairs.append((candidate.name, address))
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
    response=shapes.CreatedInvitations,
    status=201,
    body=NewInvitations,
    errors=(409, 429),
    description="Invite one or many candidates at once. All are invited or, when any entry "
    "is refused, none (422; 409 when an address appears twice); each link is returned only "
    "in this response.",
)
def create_invitations(position_id: int, body: NewInvitations) -> Any:
    """Invite every listed candidate and return their links."""
    user = caller()
    position = access.position_for(db.session, user, position_id)
    if not position.is_open:
        raise Conflict("the position is closed")
    pairs = _checked_candidates(body.candidates)
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
                valid_days=body.valid_days,
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
@api_operation("Get an invitation", tag="invitations", roles=RECRUITING, response=shapes.Invitation)
def get_invitation(invitation_id: int) -> Any:
    """One invitation of the caller's organisation (its link is never shown again)."""
    return invitation_json(access.invitation_for(db.session, caller(), invitation_id))


@bp.post("/invitations/<int:invitation_id>/revoke")
@api_operation(
    "Withdraw an invitation",
    tag="invitations",
    roles=RECRUITING,
    response=shapes.Invitation,
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
