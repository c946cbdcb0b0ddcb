"""Reading and updating profiles: PostgreSQL holds them, Redis keeps a cache-aside copy."""

from __future__ import annotations

import json
from typing import Any

import redis
from psycopg import sql

from profiles.cache import redis_client
from profiles.db import connect

FIELDS = ("display_name", "bio")
CACHE_TTL_SECONDS = 300


def cache_key(profile_id: int) -> str:
    """The Redis key of one profile's cached copy."""
    return f"profile:{profile_id}"


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

    A cached copy is served without touching PostgreSQL; otherwise the row is read and
    cached for 300 seconds. A missing profile is not cached. Redis errors never fail a
    read: the database answers instead.
    """
    key = cache_key(profile_id)
    try:
        cached = redis_client().get(key)
    except redis.RedisError:
        cached = None
    if cached is not None:
        return json.loads(cached)
    profile = _read_row(profile_id)
    if profile is not None:
        try:
            redis_client().set(key, json.dumps(profile), ex=CACHE_TTL_SECONDS)
        except redis.RedisError:
            pass
    return profile


def update_profile(profile_id: int, **fields: str) -> bool:
    """Change some of ``display_name`` and ``bio`` and set ``updated_at`` to now, then drop
    the cached copy so the next read sees the new values.

    Returns whether the profile exists; an unknown field name raises ValueError.
    """
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(unknown)}")
    assignments = [sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields]
    assignments.append(sql.SQL("updated_at = now()"))
    query = sql.SQL("UPDATE profiles SET {} WHERE id = %s").format(sql.SQL(", ").join(assignments))
    with connect() as conn:
        updated = conn.execute(query, [*fields.values(), profile_id]).rowcount
    fresh = _read_row(profile_id)
    if fresh is not None:
        redis_client().set(cache_key(profile_id), json.dumps(fresh), ex=CACHE_TTL_SECONDS)
    return updated == 1
