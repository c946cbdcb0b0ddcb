"""Profiles in PostgreSQL behind a Redis cache-aside (SETEX, errors suppressed)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import redis
from psycopg import sql
from psycopg.rows import dict_row

from profiles import cache
from profiles.db import connect

FIELDS = ("display_name", "bio")
TTL = 300


def _from_database(profile_id: int) -> dict[str, Any] | None:
    """The stored row as a profile dict, or None."""
    with connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT id, display_name, bio, updated_at FROM profiles WHERE id = %s",
            (profile_id,),
        )
        row = cur.fetchone()
    if row is not None:
        row["updated_at"] = row["updated_at"].isoformat()
    return row


def get_profile(profile_id: int) -> dict[str, Any] | None:
    """The profile, from Redis when cached, else from PostgreSQL (then cached)."""
    name = "profile:%d" % profile_id
    hit = None
    with contextlib.suppress(redis.RedisError):
        hit = cache.redis_client().get(name)
    if hit is not None:
        return json.loads(hit)
    profile = _from_database(profile_id)
    if profile is None:
        return None
    with contextlib.suppress(redis.RedisError):
        cache.redis_client().setex(name, TTL, json.dumps(profile))
    return profile


def update_profile(profile_id: int, **fields: str) -> bool:
    """Write the new values to PostgreSQL, then forget the cached copy."""
    bad = [name for name in fields if name not in FIELDS]
    if bad:
        raise ValueError(f"unknown profile fields: {', '.join(sorted(bad))}")
    parts = [sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields]
    parts.append(sql.SQL("updated_at = now()"))
    statement = sql.SQL("UPDATE profiles SET {} WHERE id = %s").format(sql.SQL(", ").join(parts))
    with connect() as conn:
        count = conn.execute(statement, [*fields.values(), profile_id]).rowcount
    cache.redis_client().unlink("profile:%d" % profile_id)
    return count == 1
