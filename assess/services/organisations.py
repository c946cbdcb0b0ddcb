"""Organisations (tenants): creating one with its first administrator, listing them, and the
platform-operator flag that alone allows creating them from the web pages.

An organisation's admin manages that organisation only; creating tenants is the platform's
business, so the page is for operators, and the flag is set from the command line (shell
access to the server), never through a page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from assess.errors import NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import Organization, Role, User
from assess.services.accounts import create_user, normalize_email

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation as the operators' page lists it (no data of its own is shown)."""

    id: int
    name: str
    created_at: datetime
    staff: int


def clean_name(raw: str) -> str:
    """The organisation's name with surrounding and repeated spaces removed, or
    ValidationFailed (empty, too long, control characters)."""
    name = " ".join(raw.split())
    if not name:
        raise ValidationFailed("name: a name is required", {"name": "a name is required"})
    if len(name) > MAX_NAME_LENGTH:
        message = f"at most {MAX_NAME_LENGTH} characters"
        raise ValidationFailed(f"name: {message}", {"name": message})
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        message = "no control or invisible characters"
        raise ValidationFailed(f"name: {message}", {"name": message})
    return name


def create_organisation(
    session: DbSession,
    name: str,
    admin_email: str,
    admin_password: str,
    *,
    admin_name: str = "",
    fast_hash: bool = False,
) -> tuple[Organization, User]:
    """A new organisation and its first administrator (the account rules of
    :func:`assess.services.accounts.create_user`, password rules included). Nothing is
    kept when anything is refused: the caller commits, or rolls back on ValidationFailed."""
    clean = clean_name(name)
    taken = session.scalar(
        sa.select(Organization.id).where(sa.func.lower(Organization.name) == clean.lower())
    )
    if taken is not None:
        message = "an organisation of that name exists already"
        raise ValidationFailed(f"name: {message}", {"name": message})
    organisation = Organization(name=clean)
    session.add(organisation)
    session.flush()
    admin = create_user(
        session,
        admin_email,
        admin_password,
        Role.ADMIN,
        name=admin_name,
        organization=organisation,
        fast_hash=fast_hash,
    )
    return organisation, admin


def organisations(session: DbSession) -> list[OrganisationRow]:
    """Every organisation with its number of staff accounts, by name (one query)."""
    staff = (
        sa.select(User.organization_id, sa.func.count(User.id).label("n"))
        .group_by(User.organization_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Organization.id,
            Organization.name,
            Organization.created_at,
            sa.func.coalesce(staff.c.n, 0),
        )
        .outerjoin(staff, staff.c.organization_id == Organization.id)
        .order_by(Organization.name, Organization.id)
    ).tuples()
    return [OrganisationRow(oid, name, created, int(n)) for oid, name, created, n in rows]


def set_operator(session: DbSession, email: str, operator: bool) -> User:
    """Grant or withdraw the operator flag of an active administrator (NotFound for any other
    address). Only the command line calls this."""
    address = normalize_email(email)
    user = session.scalar(sa.select(User).where(User.email == address))
    if user is None or user.role is not Role.ADMIN or not user.is_active_account:
        raise NotFound(f"no active administrator {address}")
    user.is_operator = operator
    return user


def may_create_organisations(user: User) -> bool:
    """Whether ``user`` may create organisations from the page: an active operator admin."""
    return bool(
        user.is_authenticated and user.role is Role.ADMIN and user.is_operator and user.is_active
    )
