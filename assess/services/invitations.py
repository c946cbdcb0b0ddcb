"""Positions and invitations: single-use links whose tokens are stored only as hashes."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from assess.errors import InvitationInvalid, RateLimited, ValidationFailed
from assess.extensions import DbSession
from assess.models import GradeCode, Invitation, Position, User, utcnow
from assess.services import throttle
from assess.services.accounts import normalize_email

DEFAULT_VALID_DAYS = 14
MAX_CSV_ROWS = 1000
TOKEN_BYTES = 32
INVITATIONS_PER_HOUR = 500


def new_token() -> str:
    """A random, URL-safe invitation token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token; tokens are random, so a plain SHA-256 suffices."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_position(
    session: DbSession,
    creator: User,
    title: str,
    grade: GradeCode,
    *,
    show_result: bool = False,
    reminder_after_days: int | None = None,
) -> Position:
    """A new position in the creator's organisation."""
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationFailed("title: 1 to 200 characters", {"title": "1 to 200 characters"})
    check_reminder_delay(reminder_after_days)
    position = Position(
        organization_id=creator.organization_id,
        title=title,
        grade=grade,
        show_result_summary=show_result,
        reminder_after_days=reminder_after_days,
        created_by_id=creator.id,
    )
    session.add(position)
    session.flush()
    return position


def check_reminder_delay(days: int | None) -> None:
    """A reminder delay is None (never) or 1 to 30 days."""
    if days is not None and (type(days) is not int or not 1 <= days <= 30):
        raise ValidationFailed(
            "the reminder delay is 1 to 30 days, or none", {"reminder_after_days": "1 to 30"}
        )


def invite(
    session: DbSession,
    position: Position,
    name: str,
    email: str,
    creator: User | None,
    *,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite one candidate; returns the invitation and its token (shown once, never stored)."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ValidationFailed("name: 1 to 200 characters", {"name": "1 to 200 characters"})
    if not 1 <= valid_days <= 90:
        raise ValidationFailed("valid for 1 to 90 days", {"valid_days": "1 to 90"})
    address = normalize_email(email)
    token = new_token()
    invitation = Invitation(
        position=position,
        candidate_name=name,
        candidate_email=address,
        token_hash=hash_token(token),
        expires_at=(now or utcnow()) + timedelta(days=valid_days),
        created_by_id=creator.id if creator else None,
    )
    session.add(invitation)
    session.flush()
    return invitation, token


@dataclass
class CsvReport:
    """What a CSV upload did: the invitations made and the rows refused, with reasons."""

    created: list[tuple[Invitation, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def invite_csv(
    session: DbSession, position: Position, text: str, creator: User | None
) -> CsvReport:
    """Invite every valid ``name,email`` row; report each bad row by its line number.

    A header row (``name,email``) is optional. Good rows are invited even when others fail;
    a duplicate address within the file is reported, not invited twice.
    """
    report = CsvReport()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if len(rows) > MAX_CSV_ROWS + 1:
        raise ValidationFailed(f"at most {MAX_CSV_ROWS} rows per upload", {"file": "too many rows"})
    seen: set[str] = set()
    for line, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if line == 1 and [c.lower() for c in cells[:2]] == ["name", "email"]:
            continue
        if len(cells) != 2:
            report.errors.append((line, f"expected 2 columns (name, email), found {len(cells)}"))
            continue
        name, email = cells
        try:
            address = normalize_email(email)
            if address in seen:
                raise ValidationFailed(f"{address} appears twice in the file")
            invitation, token = invite(session, position, name, address, creator)
        except ValidationFailed as exc:
            report.errors.append((line, str(exc)))
            continue
        seen.add(address)
        report.created.append((invitation, token))
    return report


def spend_invitation_budget(session: DbSession, user_id: int, count: int) -> None:
    """Count ``count`` invitations against one person's hourly budget (pages and API share
    it); raise RateLimited, counting nothing, when they would exceed it."""
    key = f"invitations:user:{user_id}"
    ticket = throttle.take(session, key, 3600, throttle.at_most(INVITATIONS_PER_HOUR), count)
    if not ticket.allowed:
        raise RateLimited("too many invitations in the last hour", ticket.retry_after)


def invitation_of(session: DbSession, token: str) -> Invitation:
    """The invitation ``token`` names, whatever its state, or InvitationInvalid."""
    if not token or len(token) > 200:
        raise InvitationInvalid("this invitation link is not valid")
    # its position and attempt in the same statement: every page of the link reads both
    invitation = session.scalar(
        sa.select(Invitation)
        .options(joinedload(Invitation.position, innerjoin=True), joinedload(Invitation.attempt))
        .where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None:
        raise InvitationInvalid("this invitation link is not valid")
    return invitation


def find_invitation(session: DbSession, token: str, now: datetime | None = None) -> Invitation:
    """The invitation of ``token``, or InvitationInvalid saying why it cannot be used."""
    invitation = invitation_of(session, token)
    if invitation.revoked_at is not None:
        raise InvitationInvalid("this invitation was withdrawn")
    if invitation.expires_at <= (now or utcnow()) and invitation.attempt is None:
        raise InvitationInvalid("this invitation has expired")
    return invitation


def revoke(invitation: Invitation, now: datetime | None = None) -> None:
    """Withdraw an invitation; its link stops working, an attempt in progress is closed."""
    invitation.revoked_at = now or utcnow()
