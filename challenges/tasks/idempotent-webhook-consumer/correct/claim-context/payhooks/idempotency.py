"""Claiming webhook event ids in Redis so that each event is applied at most once."""

from __future__ import annotations

import redis

CLAIM_TTL_SECONDS = 86400


def claim_key(event_id: str) -> str:
    return f"webhook:event:{event_id}"


class EventClaim:
    """A context manager around one event's claim.

    ``acquired`` tells whether this delivery created the claim (and so must apply the
    event). If the ``with`` body raises, a claim this delivery took is given back so
    that the provider's retry is processed."""

    def __init__(self, client: redis.Redis, event_id: str) -> None:
        self._client = client
        self._key = claim_key(event_id)
        self.acquired = False

    def __enter__(self) -> "EventClaim":
        # One atomic command: only the first delivery creates the key.
        self.acquired = bool(self._client.set(self._key, "1", nx=True, ex=CLAIM_TTL_SECONDS))
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and self.acquired:
            self._client.delete(self._key)
            self.acquired = False
        return False
