"""Password hashing with argon2id (verifying against a dummy hash keeps timing equal), and
the rules a new password must meet: a length, not a common password, not built from the
account's own email or name, and a strength estimate high enough to resist guessing.

The strength estimate is zxcvbn's (its dictionaries of common passwords, words and names
ship inside the package; nothing is fetched at run time). It looks at the first
``ESTIMATE_CHARS`` characters only, so a long password cannot make the check slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import has_request_context
from flask_babel import gettext
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_STRENGTH = 3  # zxcvbn's score 0..4; 3 means about 10^8 guesses or more
ESTIMATE_CHARS = 72  # zxcvbn refuses longer input; the first 72 characters decide
COMMON_SHARE = 0.6  # a common password making up this much of the whole is refused as one


def gettext_or_english(text: str, **values: Any) -> str:
    """``text`` in the reader's language during a request, else in English (the CLI)."""
    if has_request_context():
        return str(gettext(text, **values))
    return text % values if values else text


_ = gettext_or_english
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


def personal_words(values: Iterable[str]) -> list[str]:
    """The account's own words (email, its parts, name parts) a password must not lean on."""
    words: set[str] = set()
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        words.add(value)
        local, _at, domain = value.partition("@")
        words.update({local, domain.split(".")[0]} if domain else {local})
        words.update(part for part in re.split(r"[\s.@_+\-]+", value) if len(part) >= 3)
    words.discard("")
    return sorted(words)


def _weakness(match: dict[str, Any]) -> str:
    """Why a pattern zxcvbn found is easy to guess, in the reader's language."""
    pattern = match.get("pattern")
    if pattern == "spatial":
        return _("Rows of neighbouring keys (like “qwerty”) are among the first guesses tried.")
    if pattern == "repeat":
        return _("Repeated characters or words (like “aaa” or “abcabc”) are easy to guess.")
    if pattern == "sequence":
        return _("Sequences (like “abcd” or “6543”) are easy to guess.")
    if pattern in {"date", "regex"}:
        return _("Dates and years are easy to guess.")
    if pattern == "dictionary":
        return _("Common words and names on their own are easy to guess.")
    return _("It is too short and simple for its length to resist guessing.")


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why ``password`` is refused, as one sentence and a suggestion, or None.

    ``personal`` holds the account's email and name: a password built on them is refused.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("A password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("A password may have at most %(count)d characters.", count=MAX_PASSWORD_LENGTH)
    sample = password[:ESTIMATE_CHARS]
    estimate = zxcvbn(sample, user_inputs=personal_words(personal))
    matches: list[dict[str, Any]] = list(estimate.get("sequence") or [])
    advice = _("Try a passphrase of four or more unrelated words.")
    for match in matches:
        token = str(match.get("token", ""))
        if (
            match.get("pattern") == "dictionary"
            and match.get("dictionary_name") == "passwords"
            and len(token) >= COMMON_SHARE * len(sample)
        ):
            return _("This is one of the most common passwords.") + " " + advice
    if int(estimate["score"]) >= MIN_STRENGTH:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in matches):
        return _("It is built on your email address or name.") + " " + advice
    weakest = max(matches, key=lambda m: len(str(m.get("token", ""))), default={})
    return _("This password is too easy to guess.") + " " + _weakness(weakest) + " " + advice
