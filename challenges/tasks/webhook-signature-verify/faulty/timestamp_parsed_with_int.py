"""Verify signed webhook requests: HMAC-SHA256 over timestamp and body, with replay checks."""

from __future__ import annotations

import hashlib
import hmac


class SignatureError(ValueError):
    """The webhook request is not authentic (or no longer fresh) and must be rejected."""


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """Return the signature header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, str(timestamp), body)}"


def _digest(secret: bytes, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def _parse(header: str) -> tuple[str, list[str]]:
    """Split a header into its single timestamp and its ``v1`` signatures."""
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError("malformed signature header")
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(timestamps) != 1:
        raise SignatureError("the header needs exactly one timestamp")
    if not signatures:
        raise SignatureError("the header has no v1 signature")
    raw = timestamps[0]
    try:
        int(raw)
    except ValueError as exc:
        raise SignatureError("the timestamp is not a number") from exc
    return raw, signatures


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
    raw, signatures = _parse(header)
    expected = _digest(secret, raw, body)
    matched = False
    for candidate in signatures:
        if hmac.compare_digest(expected.encode(), candidate.encode("utf-8", "replace")):
            matched = True
    if not matched:
        raise SignatureError("signature mismatch")
    try:
        timestamp = int(raw)
    except ValueError as exc:
        raise SignatureError("the timestamp is out of range") from exc
    if abs(now - timestamp) > tolerance:
        raise SignatureError("the timestamp is outside the tolerance window")
    if seen is not None:
        if expected in seen:
            raise SignatureError("this request was already processed")
        seen.add(expected)
    return timestamp
