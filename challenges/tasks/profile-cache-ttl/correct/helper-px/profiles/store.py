"""Profile reads through Redis: one helper runs a Redis call and turns failures into None."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from psycopg import sql
from redis.exceptions import RedisError

import profiles.cache
from profiles.db import connect

FIELDS = ("display_name", "bio")


def _redis(call: Callable[[Any], Any]) -> Any:
    """``call(client)`` with a fresh client from redis_client(); None when Redis fails."""
    try:
        return call(profiles.cache.redis_client())
    except RedisError:
        return None


def get_profile(profile_id: int) -> dict[str, Any] | None:
    """The profile ``profile_id`` (cached for five minutes), or None when it does not exist."""
    key = f"profile:{profile_id}"
    text = _redis(lambda client: client.get(key))
    if text is not None:
        return json.loads(text.decode())
    with connect() as conn:
        cur = conn.execute(
            "SELECT id, display_name, bio, updated_at FROM profiles WHERE id = %s", [profile_id]
        )
        found = cur.fetchone()
    if not found:
        return None
    pid, display_name, bio, updated_at = found
    profile = {
        "id": pid,
        "display_name": display_name,
        "bio": bio,
        "updated_at": updated_at.isoformat(),
    }
    payload = json.dumps(profile, ensure_ascii=False, separators=(",", ":"))
    _redis(lambda client: client.set(key, payload, px=300_000))
    return profile


def update_profile(profile_id: int, **fields: str) -> bool:
    """Save the fields, then remove the cached copy."""
    for name in fields:
        if name not in FIELDS:
            raise ValueError(f"unknown profile field: {name}")
    changes = [sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields]
    query = (
        sql.SQL("UPDATE profiles SET {}, updated_at = now() WHERE id = %s").format(
            sql.SQL(", ").join(changes)
        )
        if changes
        else sql.SQL("UPDATE profiles SET updated_at = now() WHERE id = %s")
    )
    with connect() as conn:
        rows = conn.execute(query, [*fields.values(), profile_id]).rowcount
    _redis(lambda client: client.delete(f"profile:{profile_id}"))
    return rows == 1
