"""Signing deliveries: HMAC-SHA256 over ``<timestamp>.<raw body>`` with the webhook's secret.

A receiver recomputes the signature from the raw body and the ``X-Assess-Timestamp`` header,
compares it in constant time, and refuses timestamps older than a few minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Assess-Signature"
TIMESTAMP_HEADER = "X-Assess-Timestamp"
EVENT_HEADER = "X-Assess-Event"
DELIVERY_HEADER = "X-Assess-Delivery"
SCHEME = "sha256="


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return SCHEME + digest


def verify(
    secret: str, timestamp: int, body: bytes, header: str, *, now: int, tolerance: int = 300
) -> bool:
    """Whether ``header`` signs ``body`` at ``timestamp`` and the timestamp is fresh."""
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)
