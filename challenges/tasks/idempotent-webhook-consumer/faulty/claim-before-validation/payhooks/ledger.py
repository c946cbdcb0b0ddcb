"""Account balances in Redis, and the claims that make each event count once."""

from __future__ import annotations

import redis

from payhooks.events import Event

CLAIM_TTL_SECONDS = 86400


class ProcessingError(Exception):
    """Processing an event failed before the balance changed."""


def balance_key(account: str) -> str:
    return f"balance:{account}"


def claim_key(event_id: str) -> str:
    return f"webhook:event:{event_id}"


def get_balance(client: redis.Redis, account: str) -> int:
    """The account's balance in cents (0 for an account never seen)."""
    value = client.get(balance_key(account))
    return int(value) if value is not None else 0


def claim(client: redis.Redis, event_id: str) -> bool:
    """Take the event's claim; False when another delivery already holds it."""
    return bool(client.set(claim_key(event_id), "1", nx=True, ex=CLAIM_TTL_SECONDS))


def release(client: redis.Redis, event_id: str) -> None:
    """Give the claim back so that a retry of the event is processed."""
    client.delete(claim_key(event_id))


def apply_event(client: redis.Redis, event: Event, *, fail: bool = False) -> int:
    """Change the account's balance by the event's amount; return the new balance.

    With ``fail`` it raises :class:`ProcessingError` before anything changes (the switch
    the app's ``PAYHOOKS_FAIL_PROCESSING`` setting turns on)."""
    if fail:
        raise ProcessingError(f"processing of event {event.id} failed")
    return int(client.incrby(balance_key(event.account), event.delta))
