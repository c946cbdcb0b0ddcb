"""Password hashing with argon2id; verifying against a dummy hash keeps timing equal."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 12

_STRONG = PasswordHasher()
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher(fast: bool) -> PasswordHasher:
    """The production hasher, or a cheap one for tests."""
    return _FAST if fast else _STRONG


def hash_password(password: str, *, fast: bool = False) -> str:
    """Hash ``password`` for storage."""
    return _hasher(fast).hash(password)


def verify_password(stored_hash: str | None, password: str, *, fast: bool = False) -> bool:
    """Check ``password``; with no stored hash, spend the same time and return False."""
    hasher = _hasher(fast)
    target = stored_hash or _dummy_hash(fast)
    try:
        ok = bool(hasher.verify(target, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return ok and stored_hash is not None


_DUMMY: dict[bool, str] = {}


def _dummy_hash(fast: bool) -> str:
    """A hash of a random value, computed once per cost setting."""
    if fast not in _DUMMY:
        _DUMMY[fast] = _hasher(fast).hash("unknown-account-dummy-password")
    return _DUMMY[fast]


def password_problem(password: str) -> str | None:
    """Why ``password`` is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters are required"
    if len(password) > 1024:
        return "at most 1024 characters are allowed"
    return None
