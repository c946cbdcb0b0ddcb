"""The Redis side: one client per server address."""

from __future__ import annotations

import os
from functools import lru_cache

import redis


def redis_client() -> redis.Redis:
    """The client for the Redis server that ``REDIS_URL`` names at the moment of the call.

    The variable is read on every call, so call this function each time you need Redis
    instead of keeping its result: when ``REDIS_URL`` changes, the next call returns a
    client for the new address. Creating a client does not connect; the first command does,
    and raises ``redis.exceptions.ConnectionError`` when no server listens there.
    """
    return _client_for(os.environ["REDIS_URL"])


@lru_cache(maxsize=8)
def _client_for(url: str) -> redis.Redis:
    """One client (and its connection pool) per address."""
    return redis.Redis.from_url(url, socket_timeout=2)
