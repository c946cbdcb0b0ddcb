"""Staff accounts: creating them, signing in (throttled so that it cannot tell a known
account from an unknown one, and slows a guesser without locking the owner out) and
changing passwords."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from assess.errors import RateLimited, ValidationFailed
from assess.extensions import DbSession
from assess.models import Organization, Role, User, utcnow
from assess.services import staff_sessions, throttle
from assess.services.passwords import (
    gettext_or_english,
    hash_password,
    password_problem,
    verify_password,
)

DEFAULT_ORGANIZATION = "Default organisation"
_ = gettext_or_english


@dataclass(frozen=True)
class LoginPolicy:
    """How sign-in attempts are slowed down without ever locking the owner out.

    Per client address: ``per_ip`` failures are free, then each further attempt waits an
    exponentially growing pause (``backoff_base_seconds`` doubling up to
    ``backoff_max_seconds``) after the previous failure. Per account: ``per_account``
    failures are free, then password checks of that account are spaced by at least
    ``account_spacing_seconds``, whoever makes them, so a guesser spread over many addresses
    is slowed while the owner waits a few seconds at worst. Failures are remembered for
    ``window_seconds``.
    """

    per_account: int
    per_ip: int
    window_seconds: int
    fast_hash: bool = False
    account_spacing_seconds: float = 5.0
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 900.0


def normalize_email(raw: str) -> str:
    """Validate and normalise an email address, or raise ValidationFailed."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(str(exc), {"email": str(exc)}) from exc


def account_key(email: str) -> str:
    """Throttle key of an account; hashed so the ledger holds no addresses."""
    return "login:acct:" + hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def _ip_key(ip: str) -> str:
    """Throttle key of a client address; IPv6 addresses count by their /64 network, which
    one client usually holds whole."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "login:ip:" + ip[:64]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return "login:ip:" + str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return "login:ip:" + str(getattr(address, "ipv4_mapped", None) or address)


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
    require_strong_password(password, (address, name))
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


@dataclass(frozen=True)
class SignIn:
    """A reserved password check: the address typed and the throttle tickets it holds."""

    email: str
    ip_ticket: throttle.Ticket
    account_ticket: throttle.Ticket


def admit_sign_in(session: DbSession, email: str, ip: str, policy: LoginPolicy) -> SignIn:
    """Reserve one password check for ``email`` from ``ip``, or raise RateLimited.

    The attempt is counted as a failure before the password is checked (and handed back
    when it succeeds), under each key's lock, so parallel guesses cannot all pass the
    check. The address is asked first: an address in back-off is refused without touching
    the account, so one noisy address cannot slow the owner signing in from elsewhere.
    """
    address = email.strip().lower()
    window = policy.window_seconds
    ip_ticket = throttle.take(
        session, _ip_key(ip), window,
        throttle.backoff(policy.per_ip, policy.backoff_base_seconds, policy.backoff_max_seconds),
    )  # fmt: skip
    if not ip_ticket.allowed:
        raise RateLimited("too many failed sign-ins from this address", ip_ticket.retry_after)
    account_ticket = throttle.take(
        session, account_key(address), window,
        throttle.spacing(policy.per_account, policy.account_spacing_seconds),
    )  # fmt: skip
    if not account_ticket.allowed:
        throttle.refund(session, ip_ticket)
        raise RateLimited("too many failed sign-ins for this account", account_ticket.retry_after)
    return SignIn(address, ip_ticket, account_ticket)


def authenticate(
    session: DbSession, email: str, password: str, ip: str, policy: LoginPolicy
) -> User | None:
    """The user for these credentials, or None; raises RateLimited when throttled.

    The reservation is committed before the (deliberately slow) hash is checked, so the
    throttle's locks are held for milliseconds, not for the hash. The same work is done
    for unknown and known accounts (a dummy hash is verified), and throttling counts the
    address typed, existing or not, so neither the answer nor its timing tells whether an
    account exists.
    """
    attempt = admit_sign_in(session, email, ip, policy)
    session.commit()
    user = session.scalar(sa.select(User).where(User.email == attempt.email))
    ok = verify_password(user.password_hash if user else None, password, fast=policy.fast_hash)
    if ok and user is not None and user.is_active:
        throttle.clear(session, attempt.account_ticket.key)
        throttle.refund(session, attempt.ip_ticket)
        user.last_login_at = utcnow()
        return user
    return None


def require_strong_password(password: str, personal: tuple[str, ...]) -> None:
    """Raise ValidationFailed saying why ``password`` is refused, if it is."""
    problem = password_problem(password, personal)
    if problem:
        raise ValidationFailed(f"password refused: {problem}", {"password": problem})


def set_password(session: DbSession, user: User, password: str, *, fast_hash: bool = False) -> None:
    """Change a password (after the password rules) and end every session of the account."""
    require_strong_password(password, (user.email, user.name))
    user.password_hash = hash_password(password, fast=fast_hash)
    staff_sessions.end_all(session, user)


def change_password(
    session: DbSession, user: User, current: str, new: str, policy: LoginPolicy
) -> None:
    """The owner's own change: the current password must be right (checks count against
    the account's sign-in throttle, so a borrowed session cannot guess it quickly), the new
    one acceptable and different; every session of the account ends (the caller starts a
    new one). A wrong current password is counted: the caller commits after ValidationFailed.
    """
    ticket = throttle.take(
        session, account_key(user.email), policy.window_seconds,
        throttle.spacing(policy.per_account, policy.account_spacing_seconds),
    )  # fmt: skip
    if not ticket.allowed:
        raise RateLimited("too many wrong passwords for this account", ticket.retry_after)
    if not verify_password(user.password_hash, current, fast=policy.fast_hash):
        message = _("The current password is wrong.")
        raise ValidationFailed(message, {"current_password": message})
    throttle.refund(session, ticket)
    if new == current:
        message = _("The new password must differ from the current one.")
        raise ValidationFailed(message, {"password": message})
    set_password(session, user, new, fast_hash=policy.fast_hash)
