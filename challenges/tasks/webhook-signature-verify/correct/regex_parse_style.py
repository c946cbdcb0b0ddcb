"""Verify signed webhook requests: HMAC-SHA256 over timestamp and body, with replay checks."""

from __future__ import annotations

import hashlib
import hmac
import re

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9a-f]{64}")


class SignatureError(ValueError):
    """The webhook request is not authentic (or no longer fresh) and must be rejected."""


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """Return the signature header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, str(timestamp), body)}"


def _digest(secret: bytes, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def _parse(header: str) -> tuple[str, list[str]]:
    """Return the single ``t`` value and every ``v1`` value, or raise SignatureError."""
    stamps: list[str] = []
    signatures: list[str] = []
    for pair in header.split(","):
        key, sep, value = pair.strip().partition("=")
        if not sep:
            raise SignatureError("malformed header: a pair without '='")
        if key == "t":
            stamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(stamps) != 1:
        raise SignatureError("the header must carry exactly one timestamp")
    if not signatures:
        raise SignatureError("the header carries no v1 signature")
    if _DIGITS.fullmatch(stamps[0]) is None:
        raise SignatureError("the timestamp is not a plain number")
    return stamps[0], signatures


def verify_webhook(
    secret: bytes,
    header: str,
    body: bytes,
    *,
    now: int,
    tolerance: int = 300,
    seen: set[str] | None = None,
) -> int:
    """Return the request's timestamp if it is authentic, fresh and new; else raise."""
    if not secret:
        raise ValueError("the webhook secret is not configured")
    if not isinstance(header, str):
        raise SignatureError("the header is not text")
    stamp, signatures = _parse(header)
    expected = _digest(secret, stamp, body)
    authentic = False
    for candidate in signatures:
        # compare_digest refuses non-ASCII text; such a value can never be ours anyway.
        if _HEX.fullmatch(candidate) and hmac.compare_digest(candidate, expected):
            authentic = True
    if not authentic:
        raise SignatureError("no valid signature")
    try:
        timestamp = int(stamp)
    except ValueError:  # longer than int() accepts
        raise SignatureError("the timestamp is out of range") from None
    if abs(now - timestamp) > tolerance:
        raise SignatureError("the request is outside the tolerance window")
    if seen is not None:
        if expected in seen:
            raise SignatureError("the request was already accepted (replay)")
        seen.add(expected)
    return timestamp
