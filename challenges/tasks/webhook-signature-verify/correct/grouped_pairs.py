"""Verify signed webhook requests: HMAC-SHA256 over timestamp and body, with replay checks."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass

_ASCII_DIGITS = frozenset("0123456789")


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

    timestamp: str  # exactly as sent (ASCII digits only)
    signatures: tuple[str, ...]

    @classmethod
    def parse(cls, header: object) -> "_Header":
        if not isinstance(header, str):
            raise SignatureError("the signature header must be text")
        groups: defaultdict[str, list[str]] = defaultdict(list)
        for raw_pair in header.split(","):
            key, sep, value = raw_pair.strip().partition("=")
            if not sep:
                raise SignatureError("malformed signature header: a pair without '='")
            groups[key].append(value)
        timestamps = groups.get("t", [])
        if len(timestamps) != 1:
            raise SignatureError("the header must contain exactly one 't'")
        signatures = groups.get("v1", [])
        if not signatures:
            raise SignatureError("the header contains no 'v1' signature")
        timestamp = timestamps[0]
        if not timestamp or not set(timestamp) <= _ASCII_DIGITS:
            raise SignatureError("the timestamp must be ASCII digits")
        return cls(timestamp, tuple(signatures))

    def timestamp_within(self, now: int, tolerance: int) -> int | None:
        """Return the timestamp as an int if ``abs(now - t) <= tolerance``, else None.

        Leading zeros are dropped first, and a value with far more digits than
        ``now + tolerance`` is out of the window without ever being converted
        (``int()`` refuses strings of thousands of digits).
        """
        significant = self.timestamp.lstrip("0") or "0"
        limit = abs(now) + abs(tolerance)
        if len(significant) > len(str(limit)) + 1:
            return None
        value = int(significant)
        return value if abs(now - value) <= tolerance else None


def _matches(candidate: str, expected: bytes) -> bool:
    """Constant-time equality of one sent ``v1`` value with the expected hex digest."""
    if not candidate.isascii():
        return False  # the expected value is ASCII hex, so this can never be equal
    return hmac.compare_digest(candidate.encode("ascii"), expected)


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
        raise ValueError("the webhook secret is empty")

    parsed = _Header.parse(header)
    expected = _digest(secret, parsed.timestamp, body)
    expected_bytes = expected.encode("ascii")

    # Check every v1 (no short-circuit), then decide.
    results = [_matches(candidate, expected_bytes) for candidate in parsed.signatures]
    if not any(results):
        raise SignatureError("signature mismatch")

    timestamp = parsed.timestamp_within(now, tolerance)
    if timestamp is None:
        raise SignatureError("the request is outside the tolerance window")

    if seen is not None:
        if expected in seen:
            raise SignatureError("the request was already accepted (replay)")
        seen.add(expected)
    return timestamp
