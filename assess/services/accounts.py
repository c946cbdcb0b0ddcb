"""Staff accounts: creating them and signing in, with throttling that cannot be used to
tell a known account from an unknown one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from assess.errors import RateLimited, ValidationFailed
from assess.extensions import DbSession
from assess.models import Organization, Role, User, utcnow
from assess.services import throttle
from assess.services.passwords import hash_password, password_problem, verify_password

DEFAULT_ORGANIZATION = "Default organisation"


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed sign-ins are tolerated, per account and per address, in a window."""

    per_account: int
    per_ip: int
    window_seconds: int
    fast_hash: bool = False


def normalize_email(raw: str) -> str:
    """Validate and normalise an email address, or raise ValidationFailed."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(str(exc), {"email": str(exc)}) from exc


def _account_key(email: str) -> str:
    """Throttle key of an account; hashed so the ledger holds no addresses."""
    return "login:acct:" + hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def _ip_key(ip: str) -> str:
    """Throttle key of a client address."""
    return "login:ip:" + ip


def default_organization(session: DbSession) -> Organization:
    """The organisation new accounts join when none is named (created on first use)."""
    org = session.scalar(sa.select(Organization).order_by(Organization.id).limit(1))
    if org is None:
        org = Organization(name=DEFAULT_ORGANIZATION)
        session.add(org)
        session.flush()
    return org


def create_user(
    session: DbSession,
    email: str,
    password: str,
    role: Role,
    *,
    name: str = "",
    organization: Organization | None = None,
    fast_hash: bool = False,
) -> User:
    """Create a staff account; raise ValidationFailed on a bad address, password or a duplicate."""
    address = normalize_email(email)
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(f"password: {problem}", {"password": problem})
    if session.scalar(sa.select(User.id).where(User.email == address)) is not None:
        raise ValidationFailed(f"an account for {address} exists already", {"email": "taken"})
    user = User(
        email=address,
        name=name.strip(),
        password_hash=hash_password(password, fast=fast_hash),
        role=role,
        organization=organization or default_organization(session),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: DbSession, email: str, password: str, ip: str, policy: LoginPolicy
) -> User | None:
    """The user for these credentials, or None; raises RateLimited when throttled.

    The same work is done for unknown and known accounts (a dummy hash is verified), and
    throttling counts failures for the address typed, existing or not, so neither the
    answer nor its timing tells whether an account exists.
    """
    address = email.strip().lower()
    account_key, ip_key = _account_key(address), _ip_key(ip)
    window = policy.window_seconds
    if (
        throttle.count_recent(session, account_key, window) >= policy.per_account
        or throttle.count_recent(session, ip_key, window) >= policy.per_ip
    ):
        raise RateLimited("too many failed sign-ins; try again later", retry_after=window)
    user = session.scalar(sa.select(User).where(User.email == address))
    ok = verify_password(user.password_hash if user else None, password, fast=policy.fast_hash)
    if ok and user is not None and user.is_active:
        throttle.clear(session, account_key)
        user.last_login_at = utcnow()
        return user
    throttle.record(session, account_key)
    throttle.record(session, ip_key)
    return None


def set_password(user: User, password: str, *, fast_hash: bool = False) -> None:
    """Change a password and end every existing session of the account."""
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(f"password: {problem}", {"password": problem})
    user.password_hash = hash_password(password, fast=fast_hash)
    user.session_version += 1
