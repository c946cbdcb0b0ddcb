"""Account balances in Redis. An event is claimed and applied in one MULTI transaction,
guarded by WATCH on its claim key, so two deliveries can never both apply it."""

from __future__ import annotations

import redis

from payhooks.events import Event

ONE_DAY = 86400


class ProcessingError(Exception):
    """Processing an event failed before the balance changed."""


class Duplicate(Exception):
    """The event was claimed by an earlier delivery."""


def balance_key(account: str) -> str:
    return "balance:" + account


def get_balance(client: redis.Redis, account: str) -> int:
    value = client.get(balance_key(account))
    return int(value) if value is not None else 0


def apply_event(client: redis.Redis, event: Event, *, fail: bool = False) -> int:
    """Claim and apply ``event``; raise :class:`Duplicate` if it was claimed before."""
    claim = "webhook:event:" + event.id
    with client.pipeline() as pipe:
        while True:
            try:
                pipe.watch(claim)
                if pipe.exists(claim):
                    raise Duplicate(event.id)
                if fail:
                    raise ProcessingError(f"processing of event {event.id} failed")
                pipe.multi()
                pipe.set(claim, event.type, ex=ONE_DAY)
                if event.type == "payment.succeeded":
                    pipe.incrby(balance_key(event.account), event.amount)
                else:
                    pipe.decrby(balance_key(event.account), event.amount)
                _, new_balance = pipe.execute()
                return int(new_balance)
            except redis.WatchError:
                continue
