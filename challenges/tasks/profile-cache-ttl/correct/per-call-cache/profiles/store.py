"""Reading and updating profiles, with a Redis cache-aside in front of PostgreSQL.

A small ``_ProfileCache`` object wraps the Redis client that ``redis_client()`` returns
for the current call; every Redis failure inside it degrades to "no cache".
"""

from __future__ import annotations

import json
from typing import Any

import redis
from psycopg import sql

from profiles.cache import redis_client
from profiles.db import connect

FIELDS = ("display_name", "bio")
CACHE_TTL_SECONDS = 300


class _ProfileCache:
    """Cache-aside operations on ``profile:<id>`` keys; Redis errors never escape."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    @staticmethod
    def key(profile_id: int) -> str:
        return f"profile:{profile_id}"

    def fetch(self, profile_id: int) -> dict[str, Any] | None:
        """The cached profile, or None on a miss, a Redis failure or an unreadable value."""
        try:
            raw = self._client.get(self.key(profile_id))
        except redis.exceptions.RedisError:
            return None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def store(self, profile: dict[str, Any]) -> None:
        """Cache the profile with its TTL in a single SETEX command."""
        try:
            self._client.setex(self.key(profile["id"]), CACHE_TTL_SECONDS, json.dumps(profile))
        except redis.exceptions.RedisError:
            pass

    def forget(self, profile_id: int) -> None:
        try:
            self._client.delete(self.key(profile_id))
        except redis.exceptions.RedisError:
            pass


def _read_row(profile_id: int) -> dict[str, Any] | None:
    """The profile as stored in PostgreSQL, or None when there is no such row."""
    with connect() as conn:
        row = conn.execute(
            "SELECT id, display_name, bio, updated_at FROM profiles WHERE id = %s",
            (profile_id,),
        ).fetchone()
    if row is None:
        return None
    return {
        "id": row[0],
        "display_name": row[1],
        "bio": row[2],
        "updated_at": row[3].isoformat(),
    }


def get_profile(profile_id: int) -> dict[str, Any] | None:
    """The profile ``profile_id`` as a dict, or None when it does not exist.

    Served from Redis when cached; otherwise read from PostgreSQL and cached for 300 s
    (a missing profile is never cached).
    """
    cache = _ProfileCache(redis_client())
    cached = cache.fetch(profile_id)
    if cached is not None:
        return cached
    profile = _read_row(profile_id)
    if profile is not None:
        cache.store(profile)
    return profile


def update_profile(profile_id: int, **fields: str) -> bool:
    """Change some of ``display_name`` and ``bio`` and set ``updated_at`` to now.

    Returns whether the profile exists; an unknown field name raises ValueError. The
    cached copy is deleted after the database write (not replaced).
    """
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(unknown)}")
    assignments = [sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields]
    assignments.append(sql.SQL("updated_at = now()"))
    query = sql.SQL("UPDATE profiles SET {} WHERE id = %s").format(sql.SQL(", ").join(assignments))
    with connect() as conn:
        updated = conn.execute(query, [*fields.values(), profile_id]).rowcount
    _ProfileCache(redis_client()).forget(profile_id)
    return updated == 1
