"""Webhook verification: a parsed header value object, byte-wise constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


class SignatureError(ValueError):
    """The webhook request is not authentic (or no longer fresh) and must be rejected."""


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """Return the signature header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, str(timestamp), body)}"


def _digest(secret: bytes, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Header:
    """The parts of a ``Payment-Signature`` header that matter."""

    stamp: str
    timestamp: int
    signatures: tuple[bytes, ...]

    @classmethod
    def parse(cls, text: str) -> _Header:
        """Parse ``text``; anything unexpected is a SignatureError."""
        try:
            fields = [tuple(part.strip().split("=", 1)) for part in text.split(",")]
        except (AttributeError, TypeError):
            raise SignatureError("the header is not text") from None
        if any(len(item) != 2 for item in fields):
            raise SignatureError("malformed header")
        stamps = [value for key, value in fields if key == "t"]
        signatures = tuple(
            value.encode("utf-8", "surrogatepass") for key, value in fields if key == "v1"
        )
        if len(stamps) != 1 or not signatures:
            raise SignatureError("need exactly one t and at least one v1")
        stamp = stamps[0]
        if not (stamp.isascii() and stamp.isdigit()):
            raise SignatureError("bad timestamp")
        try:
            timestamp = int(stamp)
        except ValueError:
            raise SignatureError("bad timestamp") from None
        return cls(stamp, timestamp, signatures)


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
    if len(secret) == 0:
        raise ValueError("empty webhook secret")
    parsed = _Header.parse(header)
    if not -tolerance <= now - parsed.timestamp <= tolerance:
        raise SignatureError("stale or future request")
    expected = _digest(secret, parsed.stamp, body)
    wanted = expected.encode("ascii")
    matches = [hmac.compare_digest(given, wanted) for given in parsed.signatures]
    if not any(matches):
        raise SignatureError("signature mismatch")
    if seen is not None and expected in seen:
        raise SignatureError("replayed request")
    if seen is not None:
        seen.add(expected)
    return parsed.timestamp
