"""Account balances in Redis; one Lua script claims an event and applies it atomically."""

from __future__ import annotations

import redis

from payhooks.events import Event

CLAIM_SECONDS = 24 * 60 * 60

# KEYS[1] the event's claim, KEYS[2] the balance; ARGV[1] TTL, ARGV[2] the delta.
# Returns {1, new balance} when this call claimed the event, {0, 0} for a duplicate.
CLAIM_AND_APPLY = """
if not redis.call('SET', KEYS[1], 'claimed', 'NX', 'EX', ARGV[1]) then
    return {0, 0}
end
return {1, redis.call('INCRBY', KEYS[2], ARGV[2])}
"""


class ProcessingError(Exception):
    """Processing an event failed before the balance changed."""


def balance_key(account: str) -> str:
    return f"balance:{account}"


def get_balance(client: redis.Redis, account: str) -> int:
    value = client.get(balance_key(account))
    return 0 if value is None else int(value)


def apply_once(client: redis.Redis, event: Event, *, fail: bool = False) -> bool:
    """Apply ``event`` unless its id was claimed before; True when it was applied now.

    ``fail`` raises :class:`ProcessingError` first, before anything is claimed."""
    if fail:
        raise ProcessingError(f"processing of event {event.id} failed")
    script = client.register_script(CLAIM_AND_APPLY)
    applied, _ = script(
        keys=[f"webhook:event:{event.id}", balance_key(event.account)],
        args=[CLAIM_SECONDS, event.delta],
    )
    return applied == 1
