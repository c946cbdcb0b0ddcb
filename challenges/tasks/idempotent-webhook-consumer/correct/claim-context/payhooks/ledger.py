"""Account balances in Redis."""

from __future__ import annotations

import redis

from payhooks.events import Event


class ProcessingError(Exception):
    """Processing an event failed before the balance changed."""


def balance_key(account: str) -> str:
    return f"balance:{account}"


def get_balance(client: redis.Redis, account: str) -> int:
    """The account's balance in cents (0 for an account never seen)."""
    value = client.get(balance_key(account))
    return int(value) if value is not None else 0


def apply_event(client: redis.Redis, event: Event, *, fail: bool = False) -> int:
    """Change the account's balance by the event's amount; return the new balance.

    With ``fail`` it raises :class:`ProcessingError` before anything changes (the switch
    the app's ``PAYHOOKS_FAIL_PROCESSING`` setting turns on). The change itself is one
    atomic ``INCRBY``, so concurrent events for one account never lose an update."""
    if fail:
        raise ProcessingError(f"processing of event {event.id} failed")
    return int(client.incrby(balance_key(event.account), event.delta))
